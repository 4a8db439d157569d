"""Factories for the whole suite. Pages are created in the tree through `add_child`."""

import io
import random
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site

from cms.models import MarketIndexPage, MarketPage, SolidarityProjectPage
from markets.models import MarketParticipation, Organiser, PickupPoint, PickupSlot
from shop.models import Category, Product, ProductImage
from vendors.models import Vendor, VendorMembership
from vendors.validators import luhn_complete


def valid_siret() -> str:
    return luhn_complete("".join(random.choice("0123456789") for _ in range(13)))


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("demo")


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser

    name = factory.Sequence(lambda n: f"Réseau ESS {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    territory = "Loire-Atlantique"
    contact_email = "contact@example.org"


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Ressourcerie n°{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    legal_form = Vendor.LegalForm.ASSOCIATION
    siret = factory.LazyFunction(valid_siret)
    email = factory.LazyAttribute(lambda o: f"{o.slug}@example.org")
    city = "Nantes"
    status = Vendor.Status.APPROVED


class VendorMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorMembership

    user = factory.SubFactory(UserFactory)
    vendor = factory.SubFactory(VendorFactory)
    role = VendorMembership.Role.OWNER


class PageFactory(factory.django.DjangoModelFactory):
    """Creates the page under `parent` (the home page by default)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        (parent or home_page()).add_child(instance=page)
        return page


class MarketIndexPageFactory(PageFactory):
    class Meta:
        model = MarketIndexPage

    title = factory.Sequence(lambda n: f"Marchés du réseau {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    organiser = factory.SubFactory(OrganiserFactory)


class MarketPageFactory(PageFactory):
    """An open market by default: opened a week ago, closes in a month."""

    class Meta:
        model = MarketPage

    title = factory.Sequence(lambda n: f"Marché de Noël {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    commission_bps = 500

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        parent = parent or MarketIndexPageFactory()
        return super()._create(model_class, *args, parent=parent, **kwargs)


class SolidarityProjectPageFactory(PageFactory):
    class Meta:
        model = SolidarityProjectPage

    title = factory.Sequence(lambda n: f"Projet solidaire {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    beneficiary = "Association Les Amis"
    goal_cents = 500_000

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        parent = parent or MarketIndexPageFactory()
        return super()._create(model_class, *args, parent=parent, **kwargs)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketParticipation

    market = factory.SubFactory(MarketPageFactory)
    vendor = factory.SubFactory(VendorFactory)
    state = MarketParticipation.State.APPROVED


class PickupPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PickupPoint

    market = factory.SubFactory(MarketPageFactory)
    name = "Halle du marché"
    address = "1 place du Commerce"
    postcode = "44000"
    city = "Nantes"
    opening_hours = "Du mercredi au dimanche, 10 h – 19 h"


def category(slug: str = "vaisselle") -> Category:
    """One of the seeded categories."""
    return Category.objects.get(slug=slug)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    vendor = factory.SubFactory(VendorFactory)
    title = factory.Sequence(lambda n: f"Objet de seconde main {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    description = "<p>Un bel objet, remis en état par notre équipe.</p>"
    category = factory.LazyFunction(category)
    condition = Product.Condition.GOOD
    price_cents = 1250
    stock = 1


def make_image_file(width: int = 640, height: int = 480, colour=(200, 120, 60), name="photo.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    buffer.seek(0)
    return ImageFile(buffer, name=name)


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Photo {n}")
    file = factory.LazyFunction(make_image_file)


class ProductImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.SubFactory(ImageFactory)
    alt_text = "Photo de l'objet posé sur une table"


def product_in_market(market: MarketPage, **kwargs) -> Product:
    """A product whose vendor takes part (approved) in `market`."""
    product = ProductFactory(**kwargs)
    MarketParticipation.objects.get_or_create(
        market=market, vendor=product.vendor,
        defaults={"state": MarketParticipation.State.APPROVED},
    )
    return product


def product_url(market: MarketPage, product: Product) -> str:
    """The storefront address of `product` in `market`."""
    route = market.reverse_subpage("product", kwargs={"slug": product.slug, "pk": product.pk})
    return market.url + route


def vendor_url(market: MarketPage, vendor: Vendor) -> str:
    """The storefront page of `vendor` in `market`."""
    return market.url + market.reverse_subpage("vendor", kwargs={"vendor_slug": vendor.slug})


def offered_slot(point):
    """The first slot with room at `point` when it takes its pick-ups by slot, else None:
    what a shopper picking that point would have to choose."""
    from shop.checkout.slots import slots_on_offer

    if point is None or not point.slots.exists():
        return None
    offered = slots_on_offer(points=[point]).get(point.pk) or []
    return offered[0] if offered else None


def reserved_checkout(market, products, *, session_key: str, reserve: bool = True,
                      **checkout_fields):
    """A checkout of `products` ([(product, quantity)]) in `market`, basket of the browser
    session `session_key`, pick-up for every vendor, reserved unless `reserve` is False."""
    from shop.checkout.cart import cart_add, cart_for_session
    from shop.checkout.services import checkout_reserve
    from shop.models import Checkout, CheckoutFulfilment

    cart = cart_for_session(session_key=session_key)
    for product, quantity in products:
        cart_add(cart=cart, market=market, product=product, quantity=quantity)
    checkout_fields = {"email": "acheteuse@example.org", "first_name": "Léa",
                       "last_name": "Durand", **checkout_fields}
    checkout = Checkout.objects.create(market=market, cart=cart, **checkout_fields)
    point = market.pickup_points.first() or PickupPointFactory(market=market)
    slot = offered_slot(point)
    for vendor_id in sorted({product.vendor_id for product, _ in products}):
        CheckoutFulfilment.objects.create(checkout=checkout, vendor_id=vendor_id,
                                          pickup_point=point, pickup_slot=slot)
    if reserve:
        checkout_reserve(checkout=checkout)
        checkout.refresh_from_db()
    return checkout


def paid_checkout(
    items, *, market=None, session=None, shipping_vendors=(), pickup_point=None,
    email="acheteuse@example.org", first_name="Léa", last_name="Durand", **checkout_fields,
):
    """A checkout paid through the real services: `items` is [(product, quantity)]; each
    product's vendor takes part in `market`. Vendors in `shipping_vendors` ship, the others
    use `pickup_point` (one of the market's by default)."""
    from shop.checkout.cart import cart_add, cart_for_session
    from shop.checkout.services import checkout_reserve
    from shop.models import Checkout, CheckoutFulfilment
    from shop.orders.completion import checkout_complete

    market = market or MarketPageFactory()
    for product, _ in items:
        MarketParticipation.objects.get_or_create(
            market=market, vendor=product.vendor,
            defaults={"state": MarketParticipation.State.APPROVED},
        )
    cart = cart_for_session(session_key=session or f"paid-{next(_paid_sessions)}")
    for product, quantity in items:
        cart_add(cart=cart, market=market, product=product, quantity=quantity)
    checkout = Checkout.objects.create(
        market=market, cart=cart, email=email, first_name=first_name, last_name=last_name,
        phone="06 12 34 56 78", **checkout_fields,
    )
    point = pickup_point or market.pickup_points.first() or PickupPointFactory(market=market)
    slot = offered_slot(point)
    shipping_ids = {vendor.pk for vendor in shipping_vendors}
    for vendor_id in sorted({product.vendor_id for product, _ in items}):
        if vendor_id in shipping_ids:
            CheckoutFulfilment.objects.create(
                checkout=checkout, vendor_id=vendor_id,
                method=CheckoutFulfilment.Method.SHIPPING, shipping_name=f"{first_name} "
                f"{last_name}", shipping_address="3 rue des Lilas", shipping_postcode="44100",
                shipping_city="Nantes",
            )
        else:
            CheckoutFulfilment.objects.create(checkout=checkout, vendor_id=vendor_id,
                                              pickup_point=point, pickup_slot=slot)
    reserved = checkout_reserve(checkout=checkout)
    assert reserved.ok, reserved.unavailable
    checkout_complete(checkout=checkout, payment_reference="pay_test", gateway="demo")
    checkout.refresh_from_db()
    return checkout


_paid_sessions = iter(range(1, 10**9))


def paid_order(product, quantity=1, **kwargs):
    """The one vendor order of a paid checkout of `quantity` × `product`."""
    return paid_checkout([(product, quantity)], **kwargs).orders.get()


def organiser_user(index=None, **user_fields):
    """A member of the organiser of `index` (a new space by default), with its page
    permissions there; returns (user, index)."""
    from markets.services import organiser_member_add

    index = index or MarketIndexPageFactory()
    user = UserFactory(**user_fields)
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    return user, index


class PickupSlotFactory(factory.django.DjangoModelFactory):
    """A one-hour slot at a pick-up point, tomorrow at 10:00 (Paris) by default."""

    class Meta:
        model = PickupSlot

    point = factory.SubFactory(PickupPointFactory)
    starts_at = factory.LazyFunction(
        lambda: timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
        + timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + timedelta(hours=1))
    capacity = 8


def choose_slot(checkout, slot) -> None:
    """Every pick-up of `checkout` at `slot` (and its point)."""
    checkout.fulfilments.filter(method="pickup").update(pickup_point=slot.point,
                                                        pickup_slot=slot)

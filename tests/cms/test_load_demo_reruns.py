"""`load_demo` run again on a demo that people used: it creates what is missing and writes
over nothing that exists. A unique item sold stays sold, what a vendor, an organiser or an
editor changed or removed stays so; only the demo's own markets, while nobody edited them,
move with today's date.

The demo is loaded once for the module, with its accounts, inside a transaction rolled back
at the end; each test changes something of its own, then loads the demo again.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page, Revision, Site

from cms.demo.data import OPEN_MARKET
from cms.models import HomePage, MarketPage, ShopSettings, SolidarityProjectPage, StandardPage
from markets.models import MarketParticipation, Organiser, PickupPoint, PickupSlot
from payments.services import payment_start, payment_succeeded
from shop.catalogue.selectors import products_on_sale
from shop.models import Checkout, LedgerEntry, Order, OrderLine, Product, ProductImage
from tests.cms.demo_loading import demo_database, load_demo
from tests.factories import reserved_checkout
from vendors.models import Vendor, VendorMembership
from vendors.services import vendor_suspend

pytestmark = pytest.mark.django_db

UPCOMING_MARKET = "marche-de-noel-du-reemploi-de-saint-nazaire"
COUNTED = (Page, Revision, Organiser, Vendor, MarketParticipation, PickupPoint, PickupSlot,
           Product, ProductImage, VendorMembership, Checkout, Order, OrderLine, LedgerEntry)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_database(django_db_blocker, tmp_path_factory.mktemp("demo-media")):
        load_demo("--force")
        yield


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def user(username: str):
    return get_user_model().objects.get(username=username)


def open_market() -> MarketPage:
    return MarketPage.objects.get(slug=OPEN_MARKET)


def market_edited_by(market: MarketPage, username: str, **fields) -> MarketPage:
    """`market` changed in the back office by `username`: a revision of theirs, published."""
    for name, value in fields.items():
        setattr(market, name, value)
    market.save_revision(user=user(username)).publish()
    return MarketPage.objects.get(pk=market.pk)


class TestWhatTheShopSoldStaysSold:
    def test_a_unique_item_sold_stays_sold_and_nothing_is_doubled(self, demo):
        # Given a unique second-hand item of the open market, bought and paid
        market = open_market()
        item = (products_on_sale(market=market).filter(stock=1)
                .exclude(condition=Product.Condition.NEW).order_by("pk").first())
        checkout = reserved_checkout(market, [(item, 1)], session_key="rerun-shopper")
        payment_succeeded(payment=payment_start(checkout=checkout))
        item.refresh_from_db()
        assert item.stock == 0
        before = counts()

        # When the demo is loaded again
        output = load_demo("--force")

        # Then the item is still sold, its order paid, and nothing was created twice
        item.refresh_from_db()
        assert item.stock == 0
        assert Order.objects.get(checkout=checkout).state == Order.State.PAID
        assert counts() == before
        assert "0 paid checkouts" in output


class TestWhatPeopleChangedStays:
    def test_a_vendors_catalogue_and_details_stay_as_the_vendor_left_them(self, demo):
        vendor = Vendor.objects.get(slug="fil-et-trame")
        product = vendor.products.filter(stock__gte=2).order_by("pk").first()
        Product.objects.filter(pk=product.pk).update(
            title="Cabas en bâche, édition d'hiver", price_cents=4500, stock=3,
            is_active=False, solidarity_bps=0)
        Vendor.objects.filter(pk=vendor.pk).update(
            description="<p>Notre atelier a déménagé.</p>", shipping_fee_cents=650)
        vendor_suspend(vendor=Vendor.objects.get(slug="velocite-solidaire"))

        load_demo()

        product.refresh_from_db()
        vendor.refresh_from_db()
        assert (product.title, product.price_cents, product.stock, product.is_active,
                product.solidarity_bps) == ("Cabas en bâche, édition d'hiver", 4500, 3, False, 0)
        assert vendor.description == "<p>Notre atelier a déménagé.</p>"
        assert vendor.shipping_fee_cents == 650
        assert Vendor.objects.get(slug="velocite-solidaire").status == Vendor.Status.SUSPENDED

    def test_an_organisers_decisions_stay(self, demo):
        market = MarketPage.objects.get(slug=UPCOMING_MARKET)
        refused = market.participations.filter(state="approved").order_by("pk").first()
        MarketParticipation.objects.filter(pk=refused.pk).update(state="refused")
        point = market.pickup_points.get()
        PickupPoint.objects.filter(pk=point.pk).update(opening_hours="Le samedi, 10 h – 18 h.")
        Organiser.objects.filter(slug="les-ecossolies-solidaires").update(
            name="Les Écossolies", contact_email="marches@example.org")

        load_demo()

        assert MarketParticipation.objects.get(pk=refused.pk).state == "refused"
        assert PickupPoint.objects.get(pk=point.pk).opening_hours == "Le samedi, 10 h – 18 h."
        organiser = Organiser.objects.get(slug="les-ecossolies-solidaires")
        assert (organiser.name, organiser.contact_email) == (
            "Les Écossolies", "marches@example.org")

    def test_a_market_its_organiser_edited_keeps_its_title_dates_and_pause(self, demo):
        closes_at = timezone.now() + timedelta(days=60)
        market = market_edited_by(
            MarketPage.objects.get(slug=UPCOMING_MARKET), "orga-2",
            title="Marché de Noël 2026 de Saint-Nazaire", closes_at=closes_at, is_paused=True)

        load_demo()

        market = MarketPage.objects.get(pk=market.pk)
        assert market.title == "Marché de Noël 2026 de Saint-Nazaire"
        assert market.closes_at == closes_at
        assert market.is_paused
        assert not market.has_unpublished_changes

    def test_pages_and_settings_an_editor_changed_stay(self, demo):
        home = Site.objects.get(is_default_site=True).root_page.specific
        home.intro = "<p>Bienvenue sur les marchés de l'estuaire.</p>"
        home.save_revision(user=user("admin")).publish()
        project = SolidarityProjectPage.objects.get(slug="cartables-pour-tous")
        project.goal_cents = 123_400
        project.save_revision(user=user("orga-2")).publish()
        other_terms = StandardPage(title="Nos conditions", slug="nos-conditions")
        home.add_child(instance=other_terms)
        shop_settings = ShopSettings.for_site(Site.objects.get(is_default_site=True))
        shop_settings.terms_page = other_terms
        shop_settings.save()

        load_demo()

        assert HomePage.objects.get(pk=home.pk).intro == (
            "<p>Bienvenue sur les marchés de l'estuaire.</p>")
        assert SolidarityProjectPage.objects.get(pk=project.pk).goal_cents == 123_400
        shop_settings = ShopSettings.objects.get(pk=shop_settings.pk)
        assert shop_settings.terms_page_id == other_terms.pk

    def test_accounts_keep_their_language_role_and_memberships(self, demo):
        profile = user("vendeur-fil-et-trame").wagtail_userprofile
        profile.preferred_language = "en"
        profile.save()
        VendorMembership.objects.filter(user__username="vendeur-la-malle-aux-fringues").update(
            role=VendorMembership.Role.STAFF)
        VendorMembership.objects.filter(user__username="vendeur-compagnons-du-reemploi").delete()

        load_demo("--force")

        assert user("vendeur-fil-et-trame").wagtail_userprofile.preferred_language == "en"
        assert VendorMembership.objects.get(
            user__username="vendeur-la-malle-aux-fringues").role == VendorMembership.Role.STAFF
        assert not VendorMembership.objects.filter(
            user__username="vendeur-compagnons-du-reemploi").exists()


class TestWhatPeopleRemovedStaysRemoved:
    def test_a_product_and_a_participation_removed_do_not_come_back(self, demo):
        # a unique item: the closed market's season sold stocked products only
        unsold = Product.objects.get(vendor__slug="la-bouquinerie-solidaire",
                                     title="Grand atlas du monde")
        key = (unsold.vendor_id, unsold.slug)
        unsold.delete()
        market = MarketPage.objects.get(slug="marche-du-reemploi-de-printemps")
        market.participations.filter(vendor__slug="compagnons-du-reemploi").delete()

        load_demo()

        assert not Product.objects.filter(vendor_id=key[0], slug=key[1]).exists()
        assert not market.participations.filter(vendor__slug="compagnons-du-reemploi").exists()


class TestTheDemosOwnMarketsFollowToday:
    def test_a_market_nobody_edited_moves_with_todays_date(self, demo):
        market = open_market()
        MarketPage.objects.filter(pk=market.pk).update(
            opens_at=market.opens_at - timedelta(days=40),
            closes_at=market.closes_at - timedelta(days=40))

        load_demo()

        market = open_market()
        assert timedelta(days=6) < timezone.now() - market.opens_at < timedelta(days=8)

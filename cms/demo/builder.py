"""Builds the demo: organisers and their page trees, markets, projects, vendors, products.

Every object is keyed on a slug (pages on their slug under their parent), so loading the
demo twice gives the same data; images are drawn only for objects that have none yet.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Collection, GroupCollectionPermission, Site

from cms.models import HomePage, MarketIndexPage, MarketPage, SolidarityProjectPage
from markets.models import MarketParticipation, Organiser, PickupPoint
from markets.services import organiser_workspace_ensure
from markets.slots import SlotPlan, pickup_slots_generate
from shop.models import Category, Product, ProductImage
from vendors.models import Vendor
from vendors.services import vendor_workspace_ensure

from .data import HOME_INTRO, MARKETS, ORGANISERS, PROJECTS, MarketData, VendorData
from .images import generated_image
from .legal import build_legal_pages
from .pages import day_at, publish, upsert_child_page
from .products import PRODUCTS, ProductData
from .vendors import VENDORS

CONDITION_WORDS = {
    "new": "neuf",
    "like_new": "comme neuf",
    "very_good": "très bon état",
    "good": "bon état",
    "fair": "état correct",
}
# Parcel weights by family when a product does not give its own, for shipping estimates.
FAMILY_WEIGHTS = {
    "maison": 1000, "mobilier": 12000, "vetements": 600, "livres-culture": 500,
    "jeux-jouets": 900, "sport-loisirs": 1500, "high-tech": 1200, "artisanat": 300,
    "epicerie": 400, "jardin": 2000,
}
# One product in three gets a second, close-up illustration.
SECOND_IMAGE_EVERY = 3


@dataclass
class DemoResult:
    home: HomePage
    organisers: dict[str, Organiser] = field(default_factory=dict)
    indexes: dict[str, MarketIndexPage] = field(default_factory=dict)
    projects: dict[str, SolidarityProjectPage] = field(default_factory=dict)
    markets: dict[str, MarketPage] = field(default_factory=dict)
    vendors: dict[str, Vendor] = field(default_factory=dict)
    # Each organiser's image collection, opened to its group by `organiser_workspace_ensure`.
    collections: dict[str, Collection] = field(default_factory=dict)
    images_created: int = 0


@transaction.atomic
def build_demo(*, now: datetime | None = None) -> DemoResult:
    home = Site.objects.get(is_default_site=True).root_page.specific
    if home.intro != HOME_INTRO:
        home.intro = HOME_INTRO
        home = publish(home)
    result = DemoResult(home=home)
    build_legal_pages(home)
    _build_organisers(result)
    _build_projects(result)
    _build_vendors(result)
    for market in MARKETS:
        _build_market(result, market, now=now)
    categories = {category.slug: category for category in Category.objects.select_related("parent")}
    for vendor_data in VENDORS:
        _build_products(result, result.vendors[vendor_data.slug], categories)
    return result


def _build_organisers(result: DemoResult) -> None:
    for data in ORGANISERS:
        organiser, _ = Organiser.objects.update_or_create(
            slug=data.slug,
            defaults={
                "name": data.name, "territory": data.territory,
                "contact_email": data.contact_email,
            },
        )
        index, changed = upsert_child_page(
            result.home, MarketIndexPage, slug=data.index_slug,
            title=data.index_title, organiser=organiser, intro=data.intro,
        )
        if changed:
            index = publish(index)
        group = organiser_workspace_ensure(organiser=organiser, index_page=index)
        result.organisers[data.slug] = organiser
        result.indexes[data.slug] = index
        collection = (
            GroupCollectionPermission.objects.filter(group=group)
            .select_related("collection").first().collection
        )
        result.collections[data.slug] = collection
        if organiser.logo_id is None:
            organiser.logo = _logo(result, organiser.name, data.slug, collection)
            organiser.save(update_fields=["logo"])


def _build_projects(result: DemoResult) -> None:
    for data in PROJECTS:
        project, changed = upsert_child_page(
            result.indexes[data.organiser], SolidarityProjectPage, slug=data.slug,
            title=data.title, beneficiary=data.beneficiary, summary=data.summary,
            story=data.story, goal_cents=data.goal_cents,
        )
        if project.image_id is None:
            project.image = _illustration(
                result, result.collections[data.organiser], title=data.title,
                label=data.beneficiary, family="jardin", file_name=f"projet-{data.slug}.png",
            )
            changed = True
        if changed:
            project = publish(project)
        result.projects[data.slug] = project


def _build_vendors(result: DemoResult) -> None:
    for data in VENDORS:
        vendor, _ = Vendor.objects.update_or_create(
            slug=data.slug, defaults=_vendor_fields(result, data)
        )
        vendor_workspace_ensure(vendor=vendor)  # its own image collection
        if vendor.logo_id is None:
            vendor.logo = _logo(result, vendor.name, vendor.slug, vendor.collection)
            vendor.save(update_fields=["logo"])
        result.vendors[data.slug] = vendor


def _vendor_fields(result: DemoResult, data: VendorData) -> dict:
    return {
        "name": data.name, "legal_form": data.legal_form, "siret": data.siret,
        "rna": data.rna, "is_professional": data.is_professional,
        "description": data.description, "email": data.email, "phone": data.phone,
        "website": data.website, "address": data.address, "postcode": data.postcode,
        "city": data.city, "status": data.status,
        "default_solidarity_bps": data.default_solidarity_bps,
        "default_solidarity_project": result.projects.get(data.default_project),
        "ships": data.ships, "shipping_fee_cents": data.shipping_fee_cents,
        "vat_liable": bool(data.vat_number), "vat_number": data.vat_number,
    }


def _build_market(result: DemoResult, data: MarketData, *, now: datetime | None) -> None:
    market, changed = upsert_child_page(
        result.indexes[data.organiser], MarketPage, slug=data.slug,
        title=data.title, intro=data.intro,
        opens_at=day_at(data.opens_in_days, 10, now=now),
        closes_at=day_at(data.closes_in_days, 19, now=now),
        is_paused=False, commission_bps=data.commission_bps,
        shipping_allowed=data.shipping_allowed,
    )
    changed |= _sync_participations(result, market, data.participations)
    changed |= _sync_pickup_points(market, data)
    wanted_projects = {result.projects[slug].pk for slug in data.projects}
    if set(market.solidarity_projects.values_list("pk", flat=True)) != wanted_projects:
        market.solidarity_projects.set(wanted_projects)
        changed = True
    if market.banner_id is None:
        market.banner = _illustration(
            result, result.collections[data.organiser], title=data.title,
            label=result.organisers[data.organiser].name, family="artisanat",
            file_name=f"marche-{data.slug}.png", size=(1200, 400),
        )
        changed = True
    if changed:
        market = publish(market)
    _open_pickup_slots(market, now=now)
    result.markets[data.slug] = market


def _open_pickup_slots(market: MarketPage, *, now: datetime | None) -> None:
    """The open market's points take baskets on Wednesdays and Saturdays, 10:00–18:00, in
    one-hour slots of 8, until it closes; slots already there are kept."""
    now = now or timezone.now()
    if not market.opens_at <= now < market.closes_at:
        return
    plan = SlotPlan(first_day=timezone.localdate(now),
                    last_day=timezone.localdate(market.closes_at), from_time=time(10),
                    to_time=time(18), length=timedelta(hours=1), capacity=8,
                    weekdays=frozenset({2, 5}))
    for point in PickupPoint.objects.filter(market=market):
        pickup_slots_generate(point=point, plan=plan)


def _sync_participations(result: DemoResult, market: MarketPage, wanted: dict) -> bool:
    existing = {row.vendor_id: row for row in MarketParticipation.objects.filter(market=market)}
    changed = False
    for position, (vendor_slug, state) in enumerate(wanted.items()):
        vendor = result.vendors[vendor_slug]
        row = existing.get(vendor.pk)
        if row is None:
            MarketParticipation.objects.create(
                market=market, vendor=vendor, state=state, sort_order=position
            )
            changed = True
        elif row.state != state:
            row.state = state
            row.save(update_fields=["state"])
            changed = True
    return changed


def _sync_pickup_points(market: MarketPage, data: MarketData) -> bool:
    existing = {row.name: row for row in PickupPoint.objects.filter(market=market)}
    changed = False
    for position, point in enumerate(data.pickup_points):
        values = {
            "address": point.address, "postcode": point.postcode, "city": point.city,
            "opening_hours": point.opening_hours,
        }
        row = existing.get(point.name)
        if row is None:
            PickupPoint.objects.create(
                market=market, name=point.name, sort_order=position, **values
            )
            changed = True
        elif any(getattr(row, key) != value for key, value in values.items()):
            PickupPoint.objects.filter(pk=row.pk).update(**values)
            changed = True
    return changed


def _build_products(result: DemoResult, vendor: Vendor, categories: dict) -> None:
    with_images = set(
        ProductImage.objects.filter(product__vendor=vendor).values_list("product_id", flat=True)
    )
    for position, data in enumerate(PRODUCTS.get(vendor.slug, ())):
        category = categories[data.category]
        product, _ = Product.objects.update_or_create(
            vendor=vendor, slug=slugify(data.title),
            defaults=_product_fields(result, vendor, data, category),
        )
        if product.pk in with_images:
            continue
        family = category.parent.slug if category.parent_id else category.slug
        variants = 2 if position % SECOND_IMAGE_EVERY == 0 else 1
        for variant in range(variants):
            image = _illustration(
                result, vendor.collection,
                title=product.title if variant == 0 else f"{product.title} (détail)",
                label=category.name if variant == 0 else
                f"Détail · {CONDITION_WORDS[product.condition]}",
                family=family, variant=variant,
                file_name=f"{vendor.slug}-{product.slug}-{variant + 1}.png",
            )
            ProductImage.objects.create(
                product=product, image=image, sort_order=variant,
                alt_text=_alt_text(product, category, variant),
            )


def _product_fields(result: DemoResult, vendor: Vendor, data: ProductData, category) -> dict:
    if data.bps is None:
        bps, project = vendor.default_solidarity_bps, vendor.default_solidarity_project
    else:
        bps, project = data.bps, result.projects.get(data.project)
    family = category.parent.slug if category.parent_id else category.slug
    return {
        "title": data.title,
        "description": f"<p>{data.description}</p>",
        "category": category,
        "condition": data.condition,
        "price_cents": data.price_cents,
        "stock": data.stock,
        "weight_grams": data.weight_grams or FAMILY_WEIGHTS.get(family),
        "is_active": True,
        "solidarity_bps": bps,
        "solidarity_project": project if bps else None,
    }


def _alt_text(product: Product, category: Category, variant: int) -> str:
    if variant == 0:
        return f"Vignette de l'article « {product.title} » ({category.name.lower()})"
    condition = CONDITION_WORDS[product.condition]
    return f"Vignette de détail de l'article « {product.title} », {condition}"


def _logo(result: DemoResult, name: str, slug: str, collection: Collection):
    return _illustration(
        result, collection, title=f"Logo · {name}",
        initial=name, label=name, family="livres-culture", file_name=f"logo-{slug}.png",
        size=(400, 400),
    )


def _illustration(result: DemoResult, collection, **options):
    result.images_created += 1
    return generated_image(collection=collection, **options)

"""Bulk data for benchmarks: one open market, many approved vendors, many products.

Rows are written with `bulk_create` in batches. Bench vendors and products are numbered
(`banc-exposant-0001`, `article-000001`), so a second run only adds the numbers still
missing: the counts asked for are totals, never increments, and nothing is deleted.
"""

import random
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Site

from cms.models import MarketIndexPage, MarketPage
from config.cache_versions import CATALOGUE, cache_version_renew
from config.db_stats import analyze
from markets.models import MarketParticipation, Organiser
from shop.models import Category, Product, ProductImage
from vendors.models import Vendor
from vendors.validators import luhn_complete

from .images import generated_image, nested_collection
from .pages import day_at, publish, upsert_child_page

ORGANISER_SLUG = "banc-d-essai"
INDEX_SLUG = "banc-d-essai"
MARKET_SLUG = "marche-banc-d-essai"
VENDOR_PREFIX = "banc-exposant-"
PRODUCT_PREFIX = "article-"
SHARED_IMAGES = 6
CITIES = (
    ("Nantes", "44000"), ("Rezé", "44400"), ("Saint-Herblain", "44800"), ("Orvault", "44700"),
    ("Saint-Nazaire", "44600"), ("Vertou", "44120"), ("Carquefou", "44470"),
    ("Clisson", "44190"), ("Ancenis", "44150"), ("Guérande", "44350"),
)
LEGAL_FORMS = ("association", "cooperative", "scic", "esus", "siae")
# Nouns by seeded category slug, qualified with an adjective: plausible titles that give
# full-text search and sorting something to work on.
NOUNS = {
    "vaisselle": ("Assiette", "Bol", "Tasse", "Saladier", "Carafe", "Plat"),
    "decoration": ("Vase", "Miroir", "Cadre", "Bougeoir", "Coussin"),
    "luminaires": ("Lampe", "Applique", "Suspension", "Lampadaire"),
    "rangements": ("Commode", "Étagère", "Buffet", "Armoire"),
    "tables-chaises": ("Chaise", "Table", "Tabouret", "Banc"),
    "vetements-femme": ("Robe", "Manteau", "Pull", "Jupe"),
    "vetements-homme": ("Veste", "Chemise", "Pull", "Pantalon"),
    "vetements-enfant": ("Salopette", "Blouson", "Pyjama", "Bonnet"),
    "livres": ("Roman", "Recueil", "Atlas", "Dictionnaire", "Guide"),
    "bandes-dessinees": ("Album", "Intégrale", "Manga"),
    "jouets": ("Peluche", "Train", "Poupée", "Camion", "Puzzle"),
    "jeux-de-societe": ("Jeu de cartes", "Jeu de plateau", "Jeu de dés"),
    "velos": ("Vélo", "Porte-bagages", "Panier de vélo", "Siège enfant"),
    "informatique": ("Ordinateur portable", "Écran", "Clavier", "Imprimante"),
    "telephonie": ("Smartphone", "Téléphone fixe", "Chargeur"),
    "upcycling": ("Sac", "Trousse", "Tablier", "Pochette"),
    "epicerie-sucree": ("Confiture", "Miel", "Biscuits", "Chocolat"),
    "outillage": ("Marteau", "Scie", "Perceuse", "Rabot"),
}
ADJECTIVES = (
    "bleu", "vert", "ancien", "vintage", "en bois", "en verre", "en laine", "en lin",
    "artisanal", "rétro", "coloré", "robuste", "léger", "de voyage", "breton", "nantais",
)
CONDITIONS = ("new", "like_new", "very_good", "good", "good", "fair")
SOLIDARITY_BPS = (0, 0, 0, 500, 1000, 2000)
IMAGE_FAMILIES = ("maison", "vetements", "livres-culture", "jeux-jouets", "high-tech", "jardin")


@dataclass
class BenchResult:
    market: MarketPage
    vendors_created: int
    vendors_total: int
    products_created: int
    products_total: int


@transaction.atomic
def seed_bench(
    *, vendors: int, products: int, batch_size: int = 1000, with_images: bool = True,
    now: datetime | None = None,
) -> BenchResult:
    market = _bench_market(now=now)
    vendor_rows, vendors_created = _top_up_vendors(vendors, batch_size)
    joined = _join_market(market, batch_size)
    if joined:
        market = publish(market)  # the revision lists the participations, as the editor would
    images = _shared_images() if with_images else []
    products_created = _top_up_products(vendor_rows, products, images, batch_size)
    cache_version_renew(CATALOGUE)
    # Freshly filled tables have no statistics until autovacuum's next pass: without them
    # the catalogue is planned for a handful of rows (see config.db_stats).
    transaction.on_commit(lambda: analyze(*(
        model._meta.db_table for model in (Vendor, MarketParticipation, Product, ProductImage)
    )))
    return BenchResult(
        market=market,
        vendors_created=vendors_created,
        vendors_total=Vendor.objects.filter(slug__startswith=VENDOR_PREFIX).count(),
        products_created=products_created,
        products_total=_bench_products().count(),
    )


def _bench_market(*, now: datetime | None) -> MarketPage:
    organiser, _ = Organiser.objects.update_or_create(
        slug=ORGANISER_SLUG,
        defaults={"name": "Banc d'essai", "territory": "Loire-Atlantique"},
    )
    home = Site.objects.get(is_default_site=True).root_page.specific
    index, changed = upsert_child_page(
        home, MarketIndexPage, slug=INDEX_SLUG, title="Banc d'essai", organiser=organiser,
    )
    if changed:
        index = publish(index)
    market, changed = upsert_child_page(
        index, MarketPage, slug=MARKET_SLUG, title="Marché du banc d'essai",
        intro="<p>Marché généré pour les mesures de performance.</p>",
        opens_at=day_at(-1, 10, now=now), closes_at=day_at(60, 19, now=now),
        is_paused=False, commission_bps=500, shipping_allowed=True,
    )
    return publish(market) if changed else market


def _top_up_vendors(count: int, batch_size: int) -> tuple[list[Vendor], int]:
    wanted = [f"{VENDOR_PREFIX}{number:04d}" for number in range(1, count + 1)]
    existing = set(Vendor.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    missing = [
        _bench_vendor(number, slug)
        for number, slug in enumerate(wanted, start=1)
        if slug not in existing
    ]
    Vendor.objects.bulk_create(missing, batch_size=batch_size)
    return list(Vendor.objects.filter(slug__in=wanted).order_by("slug")), len(missing)


def _bench_vendor(number: int, slug: str) -> Vendor:
    city, postcode = CITIES[number % len(CITIES)]
    return Vendor(
        slug=slug,
        name=f"Exposant du banc d'essai n° {number}",
        legal_form=LEGAL_FORMS[number % len(LEGAL_FORMS)],
        siret=siret_for(number),
        email=f"{slug}@example.org",
        city=city,
        postcode=postcode,
        is_professional=number % 2 == 0,
        ships=number % 3 == 0,
        shipping_fee_cents=590 if number % 3 == 0 else 0,
        status=Vendor.Status.APPROVED,
    )


def _join_market(market: MarketPage, batch_size: int) -> int:
    """Approve every bench vendor in the bench market; returns the participations added."""
    joined = MarketParticipation.objects.filter(market=market).values("vendor_id")
    newcomers = (
        Vendor.objects.filter(slug__startswith=VENDOR_PREFIX)
        .exclude(pk__in=joined)
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    rows = [
        MarketParticipation(market=market, vendor_id=vendor_id, state="approved")
        for vendor_id in newcomers
    ]
    MarketParticipation.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def _bench_products():
    return Product.objects.filter(vendor__slug__startswith=VENDOR_PREFIX)


def _top_up_products(vendors: list[Vendor], count: int, images: list, batch_size: int) -> int:
    if not vendors:
        return 0
    existing = set(_bench_products().values_list("slug", flat=True))
    categories = {category.slug: category.pk for category in Category.objects.all()}
    category_slugs = [slug for slug in NOUNS if slug in categories]
    created = 0
    batch: list[Product] = []
    for number in range(1, count + 1):
        slug = f"{PRODUCT_PREFIX}{number:06d}"
        if slug in existing:
            continue
        vendor = vendors[number % len(vendors)]
        batch.append(_bench_product(number, slug, vendor, categories, category_slugs))
        if len(batch) >= batch_size:
            created += _save_products(batch, images)
            batch = []
    if batch:
        created += _save_products(batch, images)
    return created


def _bench_product(number, slug, vendor, categories, category_slugs) -> Product:
    rng = random.Random(number)
    category = rng.choice(category_slugs)
    condition = rng.choice(CONDITIONS)
    bps = rng.choice(SOLIDARITY_BPS)
    title = f"{rng.choice(NOUNS[category])} {rng.choice(ADJECTIVES)}"
    # Second-hand items are unique; one in twenty is already sold.
    unique_stock = 0 if rng.random() < 0.05 else 1
    stock = rng.randint(0, 30) if condition == "new" else unique_stock
    return Product(
        vendor=vendor,
        slug=slug,
        title=title,
        description=f"<p>{title}, article n° {number} du banc d'essai.</p>",
        category_id=categories[category],
        condition=condition,
        price_cents=rng.randrange(300, 30000, 50),
        stock=stock,
        weight_grams=rng.randrange(100, 15000, 100),
        solidarity_bps=bps,
    )


def _save_products(batch: list[Product], images: list) -> int:
    saved = Product.objects.bulk_create(batch)
    if images:
        ProductImage.objects.bulk_create(
            ProductImage(
                product_id=product.pk,
                image=images[product.pk % len(images)],
                alt_text=f"Vignette de l'article « {product.title} »",
                sort_order=0,
            )
            for product in saved
        )
    return len(saved)


def _shared_images() -> list:
    """A handful of illustrations shared by all bench products, drawn once."""
    collection = nested_collection("Banc d'essai")
    images = list(
        get_image_model().objects.filter(collection=collection).order_by("pk")[:SHARED_IMAGES]
    )
    for number in range(len(images) + 1, SHARED_IMAGES + 1):
        images.append(generated_image(
            collection=collection, title=f"Illustration du banc d'essai {number}",
            file_name=f"banc-d-essai-{number}.png", label="Banc d'essai",
            family=IMAGE_FAMILIES[(number - 1) % len(IMAGE_FAMILIES)], initial=str(number),
        ))
    return images


def siret_for(number: int) -> str:
    """A SIRET that passes the Luhn check, derived from `number` (benchmarks only)."""
    return luhn_complete(f"9{number:012d}")

"""What a market's catalogue offers to filter on: its categories, conditions, price bounds,
vendors and how many products it has, read once and kept in the cache.

The facets come from one aggregate query over the market's products on sale (grouped by
category and condition) and the few dozen categories, the vendors from one query over its
participations. Both are
cached per market under a catalogue version that changes whenever a product, a category, a
vendor or a participation is written (`catalogue_changed`), so a shopper never waits on a
scan of the whole catalogue, and an edit shows on the next page. The listing itself always
reads the products live: the facets only shape the filter form and the unfiltered count.

The version (`config.cache_versions.CATALOGUE`) is renewed by the saves and deletes of those
models (`connect_signals`); writes that bypass `save()` (`QuerySet.update`, `bulk_create`)
renew it themselves, and a safety lifetime bounds what a write outside the application (raw
SQL) leaves behind.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Min
from django.db.models.signals import post_delete, post_save

from config.cache_versions import CATALOGUE, cache_version, cache_version_renew
from shop.catalogue.models import Category
from shop.catalogue.selectors import market_vendors, products_on_sale

FACETS_CACHE_SECONDS = 10 * 60
# How long the previous facets may stand in while one process reads the new ones (and, if
# that process dies on the way, until another one tries).
REFRESH_SECONDS = 30


@dataclass(frozen=True)
class CategoryFacet:
    """A top-level category in use, with its sub-categories in use as (slug, label)."""

    slug: str
    name: str
    children: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CatalogueFacets:
    total: int
    categories: tuple[CategoryFacet, ...]
    conditions: tuple[str, ...]
    min_price_cents: int | None
    max_price_cents: int | None


@dataclass(frozen=True)
class VendorChoice:
    slug: str
    name: str
    city: str


def catalogue_changed(**_signal) -> None:
    """Forget every market's cached facets and vendor list."""
    cache_version_renew(CATALOGUE)


def catalogue_facets(*, market) -> CatalogueFacets:
    return _kept(f"catalogue-facets:{market.pk}", lambda: _read_facets(market))


def market_vendor_choices(*, market) -> tuple[VendorChoice, ...]:
    """The market's selling vendors by name, as the filter and the vendor list show them."""
    def read():
        rows = market_vendors(market=market).values_list("slug", "name", "city")
        return tuple(VendorChoice(slug, name, city) for slug, name, city in rows)

    return _kept(f"catalogue-vendors:{market.pk}", read)


def _kept(key: str, read):
    """The value kept under `key` for the current catalogue version, read again when the
    version changed. One process reads it again while the others go on with the previous
    value for that moment: at 100,000 products the facets take a good tenth of a second,
    and a busy evening's visitors must not all pay it at once after a vendor's edit."""
    version = cache_version(CATALOGUE)
    kept = cache.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    refreshing = f"{key}:refreshing"
    if kept is not None and not cache.add(refreshing, version, REFRESH_SECONDS):
        return kept[1]
    value = read()
    cache.set(key, (version, value), FACETS_CACHE_SECONDS)
    cache.delete(refreshing)
    return value


def _read_facets(market) -> CatalogueFacets:
    groups = list(
        products_on_sale(market=market)
        .values("category_id", "condition")
        .annotate(count=Count("pk"), low=Min("price_cents"), high=Max("price_cents"))
        .order_by()
    )
    return CatalogueFacets(
        total=sum(group["count"] for group in groups),
        categories=_category_tree({group["category_id"] for group in groups}),
        conditions=tuple(sorted({group["condition"] for group in groups})),
        min_price_cents=min((group["low"] for group in groups), default=None),
        max_price_cents=max((group["high"] for group in groups), default=None),
    )


def _category_tree(used_ids: set[int]) -> tuple[CategoryFacet, ...]:
    """Top-level categories holding a product (or whose sub-categories do), in the
    categories' own order, each with its sub-categories that hold one."""
    categories = list(Category.objects.all())  # a few dozen rows, in position order
    tops = [category for category in categories if category.parent_id is None]
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id is not None and category.pk in used_ids:
            children.setdefault(category.parent_id, []).append(category)
    return tuple(
        CategoryFacet(
            slug=top.slug, name=top.name,
            children=tuple((child.slug, f"{top.name} › {child.name}")
                           for child in children.get(top.pk, ())),
        )
        for top in tops
        if top.pk in used_ids or top.pk in children
    )


def connect_signals() -> None:
    """Saves and deletes of what the facets depend on renew the catalogue version; signals
    rather than services, because products, vendors and participations are also written by
    Wagtail's own forms (the market page's vendors, the product editor) and the shell."""
    from markets.models import MarketParticipation
    from shop.catalogue.models import Product
    from vendors.models import Vendor

    for model in (Product, Category, Vendor, MarketParticipation):
        for signal in (post_save, post_delete):
            signal.connect(catalogue_changed, sender=model,
                           dispatch_uid=f"catalogue-facets-{model.__name__}-{id(signal)}")

"""Reads of the catalogue shared by the storefront and the API."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from markets.selectors import vendor_sells_in
from shop.catalogue.models import Category, Product, ProductImage
from shop.catalogue.search import search_products
from vendors.models import Vendor

PAGE_SIZE = 24


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    CHOICES = (RELEVANCE, NEWEST, PRICE_ASC, PRICE_DESC)


@dataclass(frozen=True)
class CatalogueQuery:
    """What a shopper asks of a market's catalogue. Prices in cents, slugs for objects."""

    q: str = ""
    vendor: str = ""
    category: str = ""
    conditions: tuple[str, ...] = field(default_factory=tuple)
    min_price_cents: int | None = None
    max_price_cents: int | None = None
    in_stock: bool = False
    sort: str = ""

    @property
    def effective_sort(self) -> str:
        if self.sort in Sort.CHOICES and (self.sort != Sort.RELEVANCE or self.q.strip()):
            return self.sort
        return Sort.RELEVANCE if self.q.strip() else Sort.NEWEST


def products_on_sale(*, market) -> QuerySet[Product]:
    """Products a shopper can see in `market`: active, from an approved vendor whose
    participation in this market is approved. Whether the market is open is the caller's
    concern: a closed market still shows its catalogue, with nothing purchasable."""
    return Product.objects.filter(vendor_sells_in(market, via="vendor__"), is_active=True)


def share_project_id(product: Product, *, chosen_project_id: int | None) -> int | None:
    """Where a product's solidarity share goes: its own project, else the one the shopper
    chose; None when it gives nothing (no share, or no project to give it to)."""
    if not product.solidarity_bps and product.solidarity_unit_cents is None:
        return None
    return product.solidarity_project_id or chosen_project_id


def product_on_sale(
    *, market, pk: int, rendition_specs: tuple[str, ...] = (), annotations: dict | None = None
) -> Product | None:
    """One product on sale in `market` with its images (and their `rendition_specs`), and
    the `annotations` a caller adds to the same query."""
    queryset = with_listing_relations(products_on_sale(market=market)).annotate(
        **(annotations or {}))
    return with_first_image(queryset, *rendition_specs).filter(pk=pk).first()


def with_listing_relations(queryset: QuerySet[Product]) -> QuerySet[Product]:
    return queryset.select_related(
        "vendor", "category", "category__parent", "solidarity_project"
    )


def category_with_children_ids(slug: str) -> list[int]:
    return list(
        Category.objects.filter(Q(slug=slug) | Q(parent__slug=slug)).values_list("pk", flat=True)
    )


def catalogue_products(*, market, query: CatalogueQuery) -> QuerySet[Product]:
    """The market's products on sale, filtered, searched and sorted as `query` asks."""
    queryset = products_on_sale(market=market)
    if query.vendor:
        queryset = queryset.filter(vendor__slug=query.vendor)
    if query.category:
        queryset = queryset.filter(category_id__in=category_with_children_ids(query.category))
    if query.conditions:
        queryset = queryset.filter(condition__in=query.conditions)
    if query.min_price_cents is not None:
        queryset = queryset.filter(price_cents__gte=query.min_price_cents)
    if query.max_price_cents is not None:
        queryset = queryset.filter(price_cents__lte=query.max_price_cents)
    if query.in_stock:
        queryset = queryset.filter(stock__gt=0)

    best_first: list[str] = []
    if query.q.strip():
        queryset, best_first = search_products(queryset, query.q.strip())

    sort = query.effective_sort
    if sort == Sort.PRICE_ASC:
        ordering = ["price_cents", "-pk"]
    elif sort == Sort.PRICE_DESC:
        ordering = ["-price_cents", "-pk"]
    elif sort == Sort.RELEVANCE:
        ordering = [*best_first, "-created_at", "-pk"]
    else:
        ordering = ["-created_at", "-pk"]
    return with_listing_relations(queryset).order_by(*ordering)


def with_first_image(queryset: QuerySet[Product], *rendition_specs: str) -> QuerySet[Product]:
    """Prefetch every product's images with the renditions listed, in two queries more."""
    from wagtail.images import get_image_model

    rendition_model = get_image_model().get_rendition_model()
    images = ProductImage.objects.select_related("image").order_by("sort_order", "pk")
    if rendition_specs:
        images = images.prefetch_related(
            Prefetch(
                "image__renditions",
                queryset=rendition_model.objects.filter(filter_spec__in=rendition_specs),
            )
        )
    return queryset.prefetch_related(Prefetch("images", queryset=images))


def market_vendors(*, market):
    """Approved vendors of a market, for filters and the vendor list."""
    return Vendor.objects.filter(vendor_sells_in(market)).order_by("name")


def market_vendor(*, market, slug: str):
    """An approved vendor of the market, with its logo, or None."""
    return market_vendors(market=market).select_related("logo").filter(slug=slug).first()

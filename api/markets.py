"""Markets and their catalogues."""

from dataclasses import replace

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError

from markets.selectors import (
    live_market,
    live_markets,
    markets_of_vendor,
    organisers_by_market,
    projects_for_market,
)
from shop.catalogue.facets import catalogue_facets
from shop.catalogue.selectors import (
    CatalogueQuery,
    catalogue_products,
    market_vendors,
    product_on_sale,
    with_first_image,
)

from . import presenters
from .schemas import (
    MAX_ID,
    CatalogueFilters,
    Error,
    MarketDetailOut,
    MarketOut,
    ProductDetailOut,
    ProductPage,
    StatusCode,
)
from .selectors import holds

router = Router(tags=["markets"])


def get_market_or_404(market_id: int):
    market = live_market(market_id)
    if market is None:
        raise HttpError(404, _("Market not found."))
    return market


@router.get("", response=list[MarketOut], summary="Live markets, soonest first")
def market_list(request, status: StatusCode | None = None):
    markets = live_markets().order_by("opens_at", "pk")
    if status:
        markets = markets.in_status(status)
    markets = list(markets)
    organisers = organisers_by_market(markets)
    return [
        presenters.market_payload(market, request, organiser=organisers[market.pk])
        for market in markets
    ]


@router.get("/{market_id}", response={200: MarketDetailOut, 404: Error}, summary="A market")
def market_detail(request, market_id: int = Path(..., ge=1, le=MAX_ID)):
    market = get_market_or_404(market_id)
    organiser = organisers_by_market([market])[market.pk]
    return {
        **presenters.market_payload(market, request, organiser=organiser),
        "intro": presenters.rich_text(market.intro),
        "vendor_count": market_vendors(market=market).count(),
        "pickup_points": list(market.pickup_points.all()),
        "solidarity_projects": [
            presenters.project_summary(project, request)
            for project in projects_for_market(market)
        ],
    }


@router.get(
    "/{market_id}/products",
    response={200: ProductPage, 404: Error},
    summary="A market's catalogue",
    description=(
        "The storefront's filters, search, sort and pagination. Products of a market that "
        "is not open are listed but not purchasable. A page past the last one is a 404; "
        "an empty catalogue has one empty page."
    ),
)
def market_products(
    request,
    filters: Query[CatalogueFilters],
    market_id: int = Path(..., ge=1, le=MAX_ID),
):
    market = get_market_or_404(market_id)
    query = CatalogueQuery(
        q=filters.q,
        vendor=filters.vendor,
        category=filters.category,
        conditions=tuple(condition.value for condition in filters.condition),
        min_price_cents=filters.min_price,
        max_price_cents=filters.max_price,
        in_stock=filters.in_stock,
        sort=filters.sort or "",
    )
    products = with_first_image(
        catalogue_products(market=market, query=query).annotate(**holds()),
        *presenters.LISTING_SPECS,
    )
    paginator = Paginator(products, filters.page_size)
    if replace(query, sort="") == CatalogueQuery():
        # The whole catalogue is counted once per change of it, with its facets.
        paginator.count = catalogue_facets(market=market).total
    if filters.page > paginator.num_pages:
        raise HttpError(
            404,
            _("Page %(page)s does not exist: the last page is %(last)s.")
            % {"page": filters.page, "last": paginator.num_pages},
        )
    page = paginator.page(filters.page)
    return {
        "market": presenters.market_summary(market, request),
        "count": paginator.count,
        "page": page.number,
        "page_size": filters.page_size,
        "num_pages": paginator.num_pages,
        "items": [
            presenters.product_payload(
                product, request, market=market,
                purchasable=market.is_open and product.stock > 0,
            )
            for product in page.object_list
        ],
    }


@router.get(
    "/{market_id}/products/{product_id}",
    response={200: ProductDetailOut, 404: Error},
    summary="A product, as the market shows it",
)
def market_product_detail(
    request,
    market_id: int = Path(..., ge=1, le=MAX_ID),
    product_id: int = Path(..., ge=1, le=MAX_ID),
):
    market = get_market_or_404(market_id)
    product = product_on_sale(
        market=market, pk=product_id, rendition_specs=presenters.DETAIL_SPECS,
        annotations=holds(),
    )
    if product is None:
        raise HttpError(404, _("Product not found."))
    return presenters.product_detail_payload(
        product, request, markets=list(markets_of_vendor(product.vendor)), market=market
    )

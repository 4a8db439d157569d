"""Storefront views of a market, routed by `MarketPage`: catalogue, product, vendor."""

from dataclasses import replace

from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.template.response import TemplateResponse

from config.cache_versions import CATALOGUE, cache_version
from markets.selectors import projects_for_market
from reports.figures import market_headline, market_project_amounts
from shop.catalogue.facets import catalogue_facets, market_vendor_choices
from shop.catalogue.forms import CatalogueFilterForm
from shop.catalogue.pagination import BoundedPaginator
from shop.catalogue.selectors import (
    PAGE_SIZE,
    CatalogueQuery,
    catalogue_products,
    product_on_sale,
    with_first_image,
)
from shop.catalogue.selectors import market_vendor as vendor_in_market
from shop.checkout.availability import hold_annotations
from shop.orders.ledger import with_amounts_raised

# The renditions the templates ask for: prefetched with the products so that a page of
# 24 cards costs the same queries as a page of one. Keep in step with the templates.
CARD_RENDITIONS = ("fill-400x300|format-webp", "fill-800x600|format-webp")
GALLERY_RENDITIONS = (
    "max-480x480|format-webp",
    "max-960x960|format-webp",
    "max-1440x1440|format-webp",
)


def _holds(request) -> dict:
    """Whether each product is held in other baskets or already in this shopper's, read in
    the products' own query."""
    return hold_annotations(session_key=request.session.session_key)


def market_catalogue(request, market):
    """The market's products on sale, searched, filtered, sorted and paginated."""
    facets = catalogue_facets(market=market)
    vendors = market_vendor_choices(market=market)
    form = CatalogueFilterForm(
        request.GET, vendors=vendors, categories=facets.categories,
        price_bounds=(facets.min_price_cents, facets.max_price_cents),
    )
    query = form.to_query()
    products = with_first_image(
        catalogue_products(market=market, query=query), *CARD_RENDITIONS
    ).annotate(**_holds(request))
    unfiltered = replace(query, sort="") == CatalogueQuery()
    page_obj, redirect = _paginate(request, products,
                                   known_count=facets.total if unfiltered else None)
    if redirect:
        return redirect
    return TemplateResponse(
        request,
        "cms/market_page.html",
        {
            "page": market,
            "market": market,
            "form": form,
            "vendors": vendors,
            "vendor_url_prefix": _vendor_url_prefix(request, market),
            "catalogue_version": cache_version(CATALOGUE),
            "page_obj": page_obj,
            "page_range": _page_range(page_obj),
            "projects": with_amounts_raised(projects_for_market(market)),
        },
    )


def market_product(request, market, *, pk: int, slug: str):
    """A product on sale in the market; a wrong slug redirects to the canonical address."""
    product = product_on_sale(market=market, pk=pk, rendition_specs=GALLERY_RENDITIONS,
                              annotations=_holds(request))
    if product is None:
        raise Http404
    if slug != product.slug:
        route = market.reverse_subpage("product", kwargs={"slug": product.slug, "pk": product.pk})
        return HttpResponsePermanentRedirect(market.get_url(request) + route)
    return TemplateResponse(
        request,
        "cms/market_product.html",
        {"page": market, "market": market, "product": product, "vendor": product.vendor},
    )


def market_vendor(request, market, *, vendor_slug: str):
    """A vendor of the market, and its products on sale there."""
    vendor = vendor_in_market(market=market, slug=vendor_slug)
    if vendor is None:
        raise Http404
    products = with_first_image(
        catalogue_products(market=market, query=CatalogueQuery(vendor=vendor.slug)),
        *CARD_RENDITIONS,
    ).annotate(**_holds(request))
    page_obj, redirect = _paginate(request, products)
    if redirect:
        return redirect
    return TemplateResponse(
        request,
        "cms/market_vendor.html",
        {
            "page": market,
            "market": market,
            "vendor": vendor,
            "page_obj": page_obj,
            "page_range": _page_range(page_obj),
        },
    )


# Public figures follow the ledger closely enough a minute late, and a busy evening's
# visitors then cost the database one read a minute.
TRANSPARENCY_CACHE_SECONDS = 60


def market_transparency(request, market):
    """Where the market's money goes, for everyone: sales, commission, what each solidarity
    project received, how many vendors and orders; from the ledger, a minute old at most."""
    headline, projects = cache.get_or_set(
        f"market-transparency-{market.pk}",
        lambda: (market_headline(market), market_project_amounts(market)),
        TRANSPARENCY_CACHE_SECONDS,
    )
    return TemplateResponse(request, "cms/market_transparency.html", {
        "page": market, "market": market, "headline": headline, "projects": projects,
    })


def _vendor_url_prefix(request, market) -> str:
    """The address of the market's vendor pages up to the vendor's slug, worked out once
    for the list of vendors rather than once per vendor."""
    route = market.reverse_subpage("vendor", kwargs={"vendor_slug": "-"})
    return market.get_url(request) + route.removesuffix("-/")


def _paginate(request, queryset, *, known_count: int | None = None
              ) -> tuple[PaginatorPage | None, HttpResponseRedirect | None]:
    """The requested page of `queryset`. A page number that is not one of the pages
    (« abc », 0, past the end) redirects to the nearest real page, filters kept. The
    listing is counted only a few pages past the one asked (`BoundedPaginator`), unless
    its count is `known_count`."""
    requested = request.GET.get("page")
    try:
        number = int(requested) if requested is not None else 1
    except ValueError:
        number = 1
    paginator = BoundedPaginator(queryset, PAGE_SIZE, requested_page=number,
                                 known_count=known_count)
    if requested is None:
        return paginator.page(1), None
    number = min(max(number, 1), paginator.num_pages)
    if str(number) == requested:
        return paginator.page(number), None
    params = request.GET.copy()
    if number == 1:
        params.pop("page", None)
    else:
        params["page"] = str(number)
    query_string = params.urlencode()
    return None, HttpResponseRedirect(request.path + (f"?{query_string}" if query_string else ""))


def _page_range(page_obj: PaginatorPage) -> list:
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2))

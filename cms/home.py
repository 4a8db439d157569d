"""What the home page shows of the market open now: its newest products, with their
photos, and the solidarity projects it supports with what they raised."""

from cms.views import CARD_RENDITIONS
from markets.selectors import projects_for_market
from shop.catalogue.selectors import products_on_sale, with_first_image, with_listing_relations
from shop.checkout.availability import hold_annotations
from shop.orders.ledger import with_amounts_raised

FEATURED_PRODUCTS = 8


def home_showcase(request, open_markets: list) -> dict:
    """The first open market (the one closing soonest) as `featured_market`, its newest
    products in stock and its projects; nothing when no market is open."""
    if not open_markets:
        return {}
    market = open_markets[0].specific
    products = with_first_image(
        with_listing_relations(products_on_sale(market=market))
        .filter(stock__gt=0)
        .order_by("-created_at", "-pk"),
        *CARD_RENDITIONS,
    ).annotate(**hold_annotations(session_key=request.session.session_key))
    return {
        "featured_market": market,
        "featured_products": list(products[:FEATURED_PRODUCTS]),
        "featured_projects": with_amounts_raised(projects_for_market(market)),
        "uses_htmx": market.is_open,
    }

"""The API says of each product what the storefront says: on sale, held in baskets
awaiting payment (until when), or sold out; a held item is not purchasable."""

import pytest

from tests.factories import MarketPageFactory, paid_checkout, product_in_market, reserved_checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    return MarketPageFactory()


def by_title(response) -> dict:
    assert response.status_code == 200, response.content
    return {item["title"]: item for item in response.json()["items"]}


def test_the_listing_tells_free_held_and_sold_items_apart(api_get, market):
    product_in_market(market, title="Lampe", stock=1)
    held = product_in_market(market, title="Vélo", stock=1)
    sold = product_in_market(market, title="Théière", stock=1)
    checkout = reserved_checkout(market, [(held, 1)], session_key="another-shopper")
    paid_checkout([(sold, 1)], market=market)

    items = by_title(api_get(f"/markets/{market.pk}/products"))

    assert (items["Lampe"]["sale_state"], items["Lampe"]["units_free"],
            items["Lampe"]["purchasable"]) == ("available", 1, True)
    assert (items["Vélo"]["sale_state"], items["Vélo"]["units_free"],
            items["Vélo"]["purchasable"]) == ("held", 0, False)
    reservation = checkout.reservations.get()
    assert items["Vélo"]["held_until"].startswith(
        reservation.expires_at.isoformat()[:19])
    assert items["Lampe"]["held_until"] is None
    assert (items["Théière"]["sale_state"], items["Théière"]["purchasable"]) == (
        "sold_out", False)


def test_a_product_page_tells_it_is_held(api_get, market):
    held = product_in_market(market, title="Vélo", stock=2)
    reserved_checkout(market, [(held, 2)], session_key="another-shopper")

    market_detail = api_get(f"/markets/{market.pk}/products/{held.pk}").json()
    detail = api_get(f"/products/{held.pk}").json()

    assert (market_detail["sale_state"], market_detail["units_free"]) == ("held", 0)
    assert (detail["sale_state"], detail["purchasable"]) == ("held", False)


def test_a_held_unit_among_several_leaves_the_rest_on_sale(api_get, market):
    product = product_in_market(market, title="Bougies", stock=3)
    reserved_checkout(market, [(product, 1)], session_key="another-shopper")

    item = by_title(api_get(f"/markets/{market.pk}/products"))["Bougies"]

    assert (item["sale_state"], item["units_free"], item["held_until"]) == ("available", 2, None)

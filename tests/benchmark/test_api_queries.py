"""The API's lists cost the same number of queries whatever their length (steady state:
renditions already made by a first request)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    MarketPageFactory,
    ParticipationFactory,
    PickupPointFactory,
    ProductImageFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    category,
    product_in_market,
)

pytestmark = pytest.mark.django_db

# Measured on SQLite and PostgreSQL. A catalogue page: view restrictions, market, count,
# site (page addresses on the request's host), products, images, renditions (+1 on SQLite
# when searching). The projects add the money each raised, one ledger query for them all.
MAX_QUERIES = {
    "markets": 4,
    "market": 7,
    "products": 8,
    "product": 8,
    "vendors": 3,
    "projects": 6,
}


def steady_queries(client, url) -> int:
    """Queries of a second GET of `url`, once the first has made the renditions."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context)


def add_products(market, count):
    slugs = ["vaisselle", "decoration", "livres", "velos"]
    for number in range(count):
        product = product_in_market(
            market, category=category(slugs[number % len(slugs)]), stock=1 + number % 3
        )
        ProductImageFactory(product=product)
        ProductImageFactory(product=product)


@pytest.mark.parametrize(
    "params", ["", "?sort=price_asc&in_stock=true", "?q=objet", "?category=maison&page_size=100"]
)
def test_market_products_one_vs_twenty_four(client, django_assert_max_num_queries, params):
    # given a market with one product, then with twenty-four from as many vendors
    market = MarketPageFactory()
    url = f"/api/v1/markets/{market.pk}/products{params}"
    add_products(market, 1)
    with_one = steady_queries(client, url)
    add_products(market, 23)

    # when / then
    with_many = steady_queries(client, url)
    assert with_many == with_one
    with django_assert_max_num_queries(MAX_QUERIES["products"]):
        client.get(url)


def test_product_detail_one_vs_six_images(client, django_assert_max_num_queries):
    market = MarketPageFactory()
    product = product_in_market(market)
    ParticipationFactory(market=MarketPageFactory(), vendor=product.vendor)
    ProductImageFactory(product=product)
    url = f"/api/v1/products/{product.pk}"
    with_one = steady_queries(client, url)
    for _ in range(5):
        ProductImageFactory(product=product)

    assert steady_queries(client, url) == with_one
    with django_assert_max_num_queries(MAX_QUERIES["product"]):
        client.get(f"/api/v1/markets/{market.pk}/products/{product.pk}")


def test_markets_one_vs_ten(client, django_assert_max_num_queries):
    MarketPageFactory()
    with_one = steady_queries(client, "/api/v1/markets")
    for _ in range(9):
        MarketPageFactory()

    assert steady_queries(client, "/api/v1/markets") == with_one
    with django_assert_max_num_queries(MAX_QUERIES["markets"]):
        client.get("/api/v1/markets")


def test_market_detail_one_vs_ten_vendors(client, django_assert_max_num_queries):
    market = MarketPageFactory()
    ParticipationFactory(market=market)
    PickupPointFactory(market=market)
    url = f"/api/v1/markets/{market.pk}"
    with_one = steady_queries(client, url)
    for _ in range(9):
        ParticipationFactory(market=market)
        PickupPointFactory(market=market)

    assert steady_queries(client, url) == with_one
    with django_assert_max_num_queries(MAX_QUERIES["market"]):
        client.get(url)


@pytest.mark.parametrize("in_market", [False, True])
def test_vendors_one_vs_ten(client, django_assert_max_num_queries, in_market):
    market = MarketPageFactory()
    url = f"/api/v1/vendors?market={market.pk}" if in_market else "/api/v1/vendors"
    ParticipationFactory(market=market, vendor=VendorFactory())
    with_one = steady_queries(client, url)
    for _ in range(9):
        ParticipationFactory(market=market, vendor=VendorFactory())

    with_ten = steady_queries(client, url)
    assert with_ten == with_one
    with django_assert_max_num_queries(MAX_QUERIES["vendors"]):
        client.get(url)


def test_projects_one_vs_ten(client, django_assert_max_num_queries):
    market = MarketPageFactory()

    def add_project():
        market.solidarity_projects.add(SolidarityProjectPageFactory())
        market.save_revision().publish()

    add_project()
    with_one = steady_queries(client, "/api/v1/projects")
    for _ in range(9):
        add_project()

    assert steady_queries(client, "/api/v1/projects") == with_one
    with django_assert_max_num_queries(MAX_QUERIES["projects"]):
        client.get("/api/v1/projects")

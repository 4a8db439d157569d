"""Every storefront page costs a fixed number of queries, whatever it shows.

Each page is rendered once first, so that the image renditions exist (their first
generation writes them), then measured on a second render: the steady state shoppers see.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    ParticipationFactory,
    ProductImageFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    paid_checkout,
    product_in_market,
    product_url,
    vendor_url,
)

pytestmark = pytest.mark.django_db

# Ceilings are the counts measured; raising one needs a reason. Wagtail's routing of a page
# takes 6 of them (site, the home page and its type, the page the address names and its
# type, found in one query whatever the depth: `HomePage.route`; aliases, view
# restrictions); a search takes one more, on PostgreSQL to learn whether the words alone
# find enough products (else close spellings join them), on SQLite to read the products it
# scores. The catalogue's facets, vendors and whole count are read once per change of the
# catalogue (`shop.catalogue.facets`), so a steady page spends no query on them; a filtered
# or searched listing, like a vendor's page, counts its products up to ten pages ahead in
# one query. The catalogue, the organiser's page and the project page each read the money
# raised by their projects from the ledger in one query (one for all the projects a page
# lists); the project page counts its contributions (paid checkouts that still give it
# something) in one more.
CATALOGUE_MAX_QUERIES = 13
PRODUCT_MAX_QUERIES = 9
VENDOR_MAX_QUERIES = 11
# Plus the showcase of the open market: its page, its newest products, its projects.
HOME_MAX_QUERIES = 10
PROJECT_MAX_QUERIES = 12
MARKET_INDEX_MAX_QUERIES = 9


def market_with(*, products: int, vendors: int, images_per_product: int = 1):
    market = MarketPageFactory()
    sellers = [VendorFactory() for _ in range(vendors)]
    for seller in sellers:
        ParticipationFactory(market=market, vendor=seller)
    project = SolidarityProjectPageFactory()
    market.solidarity_projects.add(project)
    market.save_revision().publish()
    made = []
    for n in range(products):
        product = product_in_market(
            market, vendor=sellers[n % vendors], solidarity_bps=1000, solidarity_project=project
        )
        for position in range(images_per_product):
            ProductImageFactory(product=product, sort_order=position)
        made.append(product)
    return market, made, sellers


def steady_state_queries(client, url: str, **params) -> int:
    warm_up = client.get(url, params)
    assert warm_up.status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "params", [{}, {"q": "objet", "sort": "price_asc", "in_stock": "on"}, {"q": "objt"}]
)
def test_the_catalogue_costs_the_same_for_1_or_24_products_and_1_or_10_vendors(
    client, django_assert_max_num_queries, params
):
    small, _, _ = market_with(products=1, vendors=1)
    large, _, _ = market_with(products=24, vendors=10)

    small_count = steady_state_queries(client, small.url, **params)
    large_count = steady_state_queries(client, large.url, **params)

    assert large_count <= small_count
    with django_assert_max_num_queries(CATALOGUE_MAX_QUERIES):
        client.get(large.url, params)


def test_held_and_basket_items_cost_no_query_more_on_the_catalogue(
    client, django_assert_max_num_queries
):
    """Whether each card's item is held in other baskets, and until when, or already in
    the shopper's basket, is read in the products' own query, not card by card."""
    from django.test import Client
    from django.urls import reverse

    from tests.factories import reserved_checkout

    plain, _, _ = market_with(products=24, vendors=10)
    busy, products, _ = market_with(products=24, vendors=10)
    for product in products[:12]:
        reserved_checkout(busy, [(product, 1)], session_key=Client().session.session_key)
    for product in products[12:14]:
        client.post(reverse("shop:basket_add"), {"market": busy.pk, "product": product.pk,
                                                 "quantity": 1})

    plain_count = steady_state_queries(client, plain.url)
    busy_count = steady_state_queries(client, busy.url)

    assert busy_count == plain_count
    html = client.get(busy.url).content.decode()
    assert html.count("Réservé dans un autre panier") == 12
    assert html.count("Dans votre panier") == 2
    with django_assert_max_num_queries(CATALOGUE_MAX_QUERIES):
        client.get(busy.url)


def test_the_product_page_costs_the_same_with_1_or_6_photos(
    client, django_assert_max_num_queries
):
    small, (one_photo,), _ = market_with(products=1, vendors=1)
    large, (six_photos,), _ = market_with(products=1, vendors=1, images_per_product=6)

    small_count = steady_state_queries(client, product_url(small, one_photo))
    large_count = steady_state_queries(client, product_url(large, six_photos))

    assert large_count <= small_count
    with django_assert_max_num_queries(PRODUCT_MAX_QUERIES):
        client.get(product_url(large, six_photos))


def test_the_vendor_page_costs_the_same_for_1_or_24_products(
    client, django_assert_max_num_queries
):
    small, _, (small_vendor,) = market_with(products=1, vendors=1)
    large, _, (large_vendor,) = market_with(products=24, vendors=1)

    small_count = steady_state_queries(client, vendor_url(small, small_vendor))
    large_count = steady_state_queries(client, vendor_url(large, large_vendor))

    assert large_count <= small_count
    with django_assert_max_num_queries(VENDOR_MAX_QUERIES):
        client.get(vendor_url(large, large_vendor))


def test_the_home_page_costs_the_same_for_1_or_10_markets(client, django_assert_max_num_queries):
    MarketPageFactory()
    small_count = steady_state_queries(client, "/")
    for _ in range(9):
        MarketPageFactory()
    large_count = steady_state_queries(client, "/")

    assert large_count <= small_count
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        client.get("/")


def test_the_project_page_costs_the_same_for_1_or_10_supporting_markets(
    client, django_assert_max_num_queries
):
    project = SolidarityProjectPageFactory()

    def supporting_market():
        market = MarketPageFactory()
        market.solidarity_projects.add(project)
        market.save_revision().publish()

    supporting_market()
    small_count = steady_state_queries(client, project.url)
    for _ in range(9):
        supporting_market()
    large_count = steady_state_queries(client, project.url)

    assert large_count <= small_count
    with django_assert_max_num_queries(PROJECT_MAX_QUERIES):
        client.get(project.url)


def test_the_organisers_page_costs_the_same_for_1_or_10_projects_with_sales(
    client, django_assert_max_num_queries
):
    index = MarketIndexPageFactory()
    market = MarketPageFactory(parent=index)

    def project_with_a_sale():
        project = SolidarityProjectPageFactory(parent=index)
        market.solidarity_projects.add(project)
        market.save_revision().publish()
        product = product_in_market(market, solidarity_bps=1000, solidarity_project=project)
        paid_checkout([(product, 1)], market=market, chosen_project=project, donation_cents=100)

    project_with_a_sale()
    small_count = steady_state_queries(client, index.url)
    for _ in range(9):
        project_with_a_sale()
    large_count = steady_state_queries(client, index.url)

    assert large_count <= small_count
    with django_assert_max_num_queries(MARKET_INDEX_MAX_QUERIES):
        client.get(index.url)

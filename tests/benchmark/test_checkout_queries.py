"""The basket and every checkout step cost a fixed number of queries, however many lines
and sellers the basket holds."""

import pytest

from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    product_in_market,
)
from tests.shop.test_views_checkout import (
    CONTACT,
    DONATION,
    FULFILMENT,
    PROJECT,
    REVIEW,
    choose_pickup,
    fill_basket,
    give_contact,
)

pytestmark = pytest.mark.django_db

BASKET = "/panier/"
# Ceilings are the counts measured; raising one needs a reason. The basket costs 5: the
# basket with its market, the lines with products, sellers and projects, which of them are
# on sale, the units held by other checkouts, and Wagtail's site for the market's link. A
# step reads the session, the checkout, its fulfilments and the market's projects; the
# fulfilment step adds the pick-up points, the donation and review steps the fulfilments
# that `checkout_amounts` reads with their sellers; the review also reads the site and its
# shop settings for the link to the terms of sale.
BASKET_MAX_QUERIES = 5
STEP_MAX_QUERIES = {
    CONTACT: 8,
    FULFILMENT: 9,
    PROJECT: 8,
    DONATION: 9,
    REVIEW: 11,
}
SIZES = [(1, 1), (10, 1), (5, 5), (10, 5)]


def checkout_with(client, *, lines: int, vendors: int) -> None:
    """A basket of `lines` lines from `vendors` sellers, each line giving a share to the
    project the shopper chooses, taken through every step up to the review."""
    market = MarketPageFactory()
    point = PickupPointFactory(market=market)
    project = SolidarityProjectPageFactory()
    market.solidarity_projects.add(project)
    market.save()
    sellers = [VendorFactory() for _ in range(vendors)]
    products = [
        product_in_market(market, vendor=sellers[n % vendors], stock=3, solidarity_bps=500)
        for n in range(lines)
    ]
    fill_basket(client, market, *[(product, 2) for product in products])
    give_contact(client)
    choose_pickup(client, sellers, point)
    assert client.post(PROJECT, {"project": project.pk}).status_code == 302
    assert client.post(DONATION, {"choice": "round_up"}).status_code == 302


def measured(client, url: str, ceiling: int, assert_max) -> int:
    """Queries of a second request, once Wagtail's per-process caches are warm."""
    assert client.get(url).status_code == 200
    with assert_max(ceiling) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(("lines", "vendors"), SIZES)
def test_the_basket_page(client, django_assert_max_num_queries, lines, vendors):
    checkout_with(client, lines=lines, vendors=vendors)

    measured(client, BASKET, BASKET_MAX_QUERIES, django_assert_max_num_queries)


@pytest.mark.parametrize("step", list(STEP_MAX_QUERIES))
@pytest.mark.parametrize(("lines", "vendors"), SIZES)
def test_each_checkout_step(client, django_assert_max_num_queries, step, lines, vendors):
    checkout_with(client, lines=lines, vendors=vendors)

    measured(client, step, STEP_MAX_QUERIES[step], django_assert_max_num_queries)


@pytest.mark.parametrize("url", [BASKET, *STEP_MAX_QUERIES])
def test_the_count_does_not_grow_with_lines_or_sellers(client, django_assert_max_num_queries,
                                                       url):
    ceiling = STEP_MAX_QUERIES.get(url, BASKET_MAX_QUERIES)
    counts = {}
    for lines, vendors in SIZES:
        client.cookies.clear()
        checkout_with(client, lines=lines, vendors=vendors)
        counts[(lines, vendors)] = measured(client, url, ceiling, django_assert_max_num_queries)

    assert len(set(counts.values())) == 1, counts


def test_the_review_of_ten_lines_from_five_sellers_shows_them_all(
    client, django_assert_max_num_queries
):
    checkout_with(client, lines=10, vendors=5)

    measured(client, REVIEW, STEP_MAX_QUERIES[REVIEW], django_assert_max_num_queries)
    review = client.get(REVIEW).context["review"]
    assert len(review.vendors) == 5
    assert sum(len(part.lines) for part in review.vendors) == 10


def test_the_donation_step_asking_for_its_project_costs_the_same_for_1_or_5_projects(
    client, django_assert_max_num_queries
):
    """No share asks for a project: the donation step lists the market's projects."""
    counts = []
    for projects in (1, 5):
        client.cookies.clear()
        market = MarketPageFactory()
        point = PickupPointFactory(market=market)
        market.solidarity_projects.add(*[SolidarityProjectPageFactory() for _ in range(projects)])
        market.save()
        product = product_in_market(market, stock=3)
        fill_basket(client, market, (product, 2))
        give_contact(client)
        choose_pickup(client, [product.vendor], point)
        counts.append(measured(client, DONATION, STEP_MAX_QUERIES[DONATION],
                               django_assert_max_num_queries))

    assert counts[0] == counts[1]

"""Everyone can see where a market's money goes: its public figures page, from the
ledger and a minute late at most; and each project's page shows what it raised."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.orders.services import order_lines_cancel
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    PickupPointFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    paid_checkout,
    product_in_market,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def index():
    return MarketIndexPageFactory(title="Marchés de Nantes")


@pytest.fixture
def project(index):
    return SolidarityProjectPageFactory(title="Épicerie solidaire", goal_cents=10_000,
                                        parent=index)


@pytest.fixture
def market(index, project):
    market = MarketPageFactory(title="Noël à Rezé", parent=index, commission_bps=500)
    PickupPointFactory(market=market)
    market.solidarity_projects.add(project)
    market.save_revision().publish()
    return market


def sell(market, project=None, *, price=5000, quantity=1, donation=0):
    product = product_in_market(market, price_cents=price, stock=quantity,
                                vendor=VendorFactory(), solidarity_bps=1000 if project else 0,
                                solidarity_project=project)
    return paid_checkout([(product, quantity)], market=market, chosen_project=project,
                         donation_cents=donation)


def transparency_url(market) -> str:
    return market.url + market.reverse_subpage("transparency")


def test_the_market_page_links_its_transparency_page(client, market):
    html = client.get(market.url).content.decode()

    assert f'href="{transparency_url(market)}"' in html


def test_the_transparency_page_shows_the_markets_figures(client, market, project):
    sell(market, project, price=10_000, donation=250)
    sell(market, price=2000)

    response = client.get(transparency_url(market))

    html = response.content.decode()
    assert response.status_code == 200
    assert "120,00\xa0€" in html  # sales
    assert "6,00\xa0€" in html  # commission: 5 % of 120 €
    assert "12,50\xa0€" in html  # to the project: 10,00 € share + 2,50 € donation
    assert "Épicerie solidaire" in html
    assert "<caption>" in html


def test_the_figures_are_at_most_a_minute_late(client, market, project):
    sell(market, price=1000)
    client.get(transparency_url(market))
    checkout = sell(market, price=3000)

    assert "40,00\xa0€" not in client.get(transparency_url(market)).content.decode()
    cache.clear()  # a minute later
    order = checkout.orders.get()
    order_lines_cancel(order=order, quantities={order.lines.get().pk: 1})
    assert "10,00\xa0€" in client.get(transparency_url(market)).content.decode()


def test_the_transparency_page_costs_the_same_for_1_or_many_orders(client, market, project):
    sell(market, project)
    client.get(transparency_url(market))
    for _ in range(5):
        sell(market, project, price=1234)
    cache.delete(f"market-transparency-{market.pk}")  # its figures, a minute later

    with CaptureQueriesContext(connection) as first:
        assert client.get(transparency_url(market)).status_code == 200
    with CaptureQueriesContext(connection) as cached:
        client.get(transparency_url(market))

    assert len(first.captured_queries) <= 12
    assert len(cached.captured_queries) < len(first.captured_queries)


def test_a_project_page_shows_its_progress_and_contributions(client, market, project):
    sell(market, project, price=5000, donation=500)  # 5,00 € share + 5,00 € donation
    sell(market, project, price=2000)  # 2,00 € share
    sell(market, price=2000)  # nothing for the project

    html = client.get(project.url).content.decode()

    assert "12,00\xa0€" in html
    assert '<progress max="10000" value="1200"' in html
    assert "12\xa0% de l'objectif atteint" in html
    assert "2 contributions" in html


def test_a_project_page_costs_a_bounded_number_of_queries(
    client, market, project, django_assert_max_num_queries
):
    sell(market, project)
    client.get(project.url)
    for _ in range(4):
        sell(market, project, price=999)

    with django_assert_max_num_queries(15):
        assert client.get(project.url).status_code == 200

"""The money raised for a solidarity project, read from the ledger of paid checkouts:
the shares of the items sold and the shoppers' donations, less cancelled units."""

import re

import pytest

from shop.orders.ledger import amounts_raised_cents, project_amount_raised_cents
from shop.orders.services import order_lines_cancel
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    PickupPointFactory,
    SolidarityProjectPageFactory,
    paid_checkout,
    product_in_market,
    reserved_checkout,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def index():
    return MarketIndexPageFactory(title="Marchés de Nantes")


@pytest.fixture
def project(index):
    return SolidarityProjectPageFactory(title="Épicerie solidaire", goal_cents=500_000,
                                        parent=index)


@pytest.fixture
def other_project(index):
    return SolidarityProjectPageFactory(title="Atelier vélo", parent=index)


@pytest.fixture
def market(index, project, other_project):
    market = MarketPageFactory(title="Noël à Rezé", parent=index, commission_bps=500)
    PickupPointFactory(market=market)
    market.solidarity_projects.add(project, other_project)
    market.save_revision().publish()
    return market


def list_item(html: str, title: str) -> str:
    """The list item that links the project called `title`."""
    return re.search(rf"<li><a [^>]*>{title}</a>.*?</li>", html, re.S).group(0)


def buy(market, project, *, quantity=1, donation_cents=300):
    """Paid: `quantity` × 50,00 € giving 10 % to `project`, and a donation to it."""
    product = product_in_market(market, price_cents=5000, stock=quantity, solidarity_bps=1000,
                                solidarity_project=project)
    return paid_checkout([(product, quantity)], market=market, chosen_project=project,
                         donation_cents=donation_cents)


def test_a_paid_checkout_raises_its_shares_and_its_donation(market, project, other_project):
    # given
    buy(market, project, quantity=2, donation_cents=300)
    buy(market, other_project, quantity=1, donation_cents=0)

    # when / then
    assert project_amount_raised_cents(project) == 2 * 500 + 300
    assert project_amount_raised_cents(other_project) == 500


def test_cancelled_units_are_taken_off(market, project):
    # given
    order = buy(market, project, quantity=2, donation_cents=300).orders.get()

    # when
    order_lines_cancel(order=order, quantities={order.lines.get().pk: 1})

    # then
    assert project_amount_raised_cents(project) == 500 + 300


def test_a_checkout_not_paid_yet_raises_nothing(market, project):
    product = product_in_market(market, price_cents=5000, solidarity_bps=1000,
                                solidarity_project=project)

    reserved_checkout(market, [(product, 1)], session_key="pas-encore-paye",
                      chosen_project=project, donation_cents=300)

    assert project_amount_raised_cents(project) == 0


def test_the_amounts_of_several_projects_take_one_query(
    market, project, other_project, django_assert_num_queries
):
    buy(market, project, quantity=1, donation_cents=250)
    without_sales = SolidarityProjectPageFactory()

    with django_assert_num_queries(1):
        amounts = amounts_raised_cents([project, other_project, without_sales])

    assert amounts == {project.pk: 750, other_project.pk: 0, without_sales.pk: 0}


def test_the_project_page_shows_the_amount_raised_against_its_goal(client, market, project):
    buy(market, project, quantity=2, donation_cents=300)

    html = client.get(project.url).content.decode()

    assert "13,00\xa0€ collectés sur un objectif de 5\u202f000,00\xa0€" in html
    assert '<progress max="500000" value="1300"' in html


def test_the_market_page_shows_what_each_project_raised(client, market, project, other_project):
    buy(market, project, quantity=1, donation_cents=300)

    html = client.get(market.url).content.decode()

    assert "8,00\xa0€ collectés" in list_item(html, "Épicerie solidaire")
    assert "0,00\xa0€ collectés" in list_item(html, "Atelier vélo")


def test_the_organisers_page_shows_what_each_project_raised(client, index, market, project):
    buy(market, project, quantity=1, donation_cents=300)

    html = client.get(index.url).content.decode()

    assert "8,00\xa0€ collectés" in list_item(html, "Épicerie solidaire")

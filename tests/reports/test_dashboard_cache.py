"""The dashboard keeps its ledger figures until money moves: a second visit reads none of
them again, and a sale, a refund or a cancellation shows at the very next visit. The
pick-up progress, which moves without money moving, is read at every visit."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop.orders.ledger_version import ledger_version
from shop.orders.models import LedgerEntry
from shop.orders.services import order_lines_cancel, order_mark_ready
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    VendorFactory,
    organiser_user,
    paid_checkout,
    product_in_market,
)

pytestmark = pytest.mark.django_db

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organiser():
    return organiser_user()


@pytest.fixture
def market(organiser):
    market = MarketPageFactory(parent=organiser[1], title="Noël à Rezé", commission_bps=500)
    PickupPointFactory(market=market, name="Halle Sud")
    return market


def sell(market, *, price=5000, quantity=1):
    product = product_in_market(market, price_cents=price, stock=quantity,
                                vendor=VendorFactory())
    return paid_checkout([(product, quantity)], market=market)


def visit(client, market) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports_market_dashboard", args=[market.pk]))
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def ledger_reads(sqls) -> list[str]:
    return [sql for sql in sqls if "shop_ledgerentry" in sql]


def test_a_second_visit_reads_no_ledger_figure_again(client, organiser, market):
    sell(market, price=4200)
    client.force_login(organiser[0])
    first_html, first = visit(client, market)

    second_html, second = visit(client, market)

    assert ledger_reads(first) and not ledger_reads(second)
    assert len(second) < len(first)
    assert "42,00\xa0€" in second_html and first_html.count("42,00") == second_html.count(
        "42,00")


def test_a_sale_since_the_last_visit_shows_at_once(client, organiser, market):
    sell(market, price=4200)
    client.force_login(organiser[0])
    visit(client, market)

    sell(market, price=1300)
    html, queries = visit(client, market)

    assert ledger_reads(queries)
    assert "55,00\xa0€" in html


def test_a_cancellation_since_the_last_visit_shows_at_once(client, organiser, market):
    checkout = sell(market, price=2500, quantity=2)
    order = checkout.orders.get()
    client.force_login(organiser[0])
    assert "50,00\xa0€" in visit(client, market)[0]

    order_lines_cancel(order=order, quantities={order.lines.get().pk: 1})
    html, _ = visit(client, market)

    assert "25,00\xa0€" in html.split('id="days-title"')[0]


def test_the_pick_up_progress_is_read_at_every_visit(client, organiser, market):
    order = sell(market).orders.get()
    client.force_login(organiser[0])
    html, _ = visit(client, market)
    pickups = html.split('id="pickups-title"')[1]
    assert '<td class="dashboard__num">1</td>\n              <td class="dashboard__num">0</td>' \
        in pickups

    order_mark_ready(order=order)
    pickups = visit(client, market)[0].split('id="pickups-title"')[1]

    assert '<td class="dashboard__num">0</td>\n              <td class="dashboard__num">1</td>' \
        in pickups


def test_each_language_keeps_its_own_figures(client, organiser, market):
    sell(market, price=4200)
    client.force_login(organiser[0])
    assert "Ventes par jour" in visit(client, market)[0]

    with override_settings(LANGUAGE_CODE="en"):
        client.cookies.load({"django_language": "en"})
        html = client.get(reverse("reports_market_dashboard", args=[market.pk]),
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Ventes par jour" not in html


@override_settings(CACHES=NO_CACHE)
def test_without_a_cache_the_figures_are_read_at_every_visit(client, organiser, market):
    sell(market, price=4200)
    client.force_login(organiser[0])
    visit(client, market)

    html, queries = visit(client, market)

    assert ledger_version() is None
    assert ledger_reads(queries) and "42,00\xa0€" in html


def test_every_way_of_booking_changes_the_ledger_version(market):
    checkout = sell(market)
    before = ledger_version()

    LedgerEntry.objects.create(checkout=checkout, kind=LedgerEntry.Kind.PAYMENT_FEES,
                               amount_cents=0)
    after_create = ledger_version()
    LedgerEntry.objects.bulk_create([LedgerEntry(
        checkout=checkout, kind=LedgerEntry.Kind.PAYMENT_FEES, amount_cents=0)])

    assert len({before, after_create, ledger_version()}) == 3


def test_the_version_changes_again_once_the_booking_is_committed(
    market, django_capture_on_commit_callbacks
):
    checkout = sell(market)
    with django_capture_on_commit_callbacks(execute=True):
        LedgerEntry.objects.create(checkout=checkout, kind=LedgerEntry.Kind.PAYMENT_FEES,
                                   amount_cents=0)
        inside = ledger_version()

    assert ledger_version() != inside

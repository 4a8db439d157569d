"""For any market (vendors, lines with shares to projects, donations, units cancelled,
donations refunded, payouts sent), every statement adds up to the ledger to the cent, and
so does the CSV written from it."""

import csv
import io

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payments.models import Transfer
from reports.exports.services import export_build, export_request
from reports.exports.storage import private_storage
from reports.exports.totals import project_totals, vendor_totals
from reports.models import ReportExport
from shop.models import Checkout, LedgerEntry
from shop.money import parse_euros
from shop.orders.refunds import checkout_donation_refund
from shop.orders.services import order_lines_cancel
from tests.factories import (
    MarketPageFactory,
    ProductFactory,
    SolidarityProjectPageFactory,
    UserFactory,
    VendorFactory,
    paid_checkout,
)

pytestmark = pytest.mark.django_db
Kind = LedgerEntry.Kind

products = st.lists(st.fixed_dictionaries({
    "price": st.integers(1, 20_000),
    "share_bps": st.integers(0, 10_000),
    "project": st.sampled_from([None, 0, 1]),
}), min_size=1, max_size=3)
checkouts = st.lists(st.fixed_dictionaries({
    "quantities": st.lists(st.integers(0, 3), min_size=6, max_size=6),
    "donation": st.integers(0, 2000),
    "project": st.sampled_from([None, 0, 1]),
    "cancel": st.lists(st.integers(0, 3), min_size=6, max_size=6),
    "refund_donation": st.booleans(),
    "pay_out": st.booleans(),
}), min_size=1, max_size=4)
markets = st.fixed_dictionaries({
    "vendors": st.lists(products, min_size=1, max_size=3),
    "commission_bps": st.integers(0, 2500),
    "checkouts": checkouts,
})


@pytest.fixture
def projects(private_media):
    return [SolidarityProjectPageFactory(), SolidarityProjectPageFactory()]


def build(drawn, projects):
    market = MarketPageFactory(commission_bps=drawn["commission_bps"])
    catalogue = []
    for offer in drawn["vendors"]:
        vendor = VendorFactory()
        catalogue += [
            ProductFactory(vendor=vendor, price_cents=item["price"], stock=100,
                           solidarity_bps=item["share_bps"],
                           solidarity_project=(None if item["project"] is None
                                               else projects[item["project"]]))
            for item in offer
        ]
    for basket in drawn["checkouts"]:
        items = [(product, quantity) for product, quantity
                 in zip(catalogue, basket["quantities"], strict=False) if quantity]
        if not items:
            continue
        project = None if basket["project"] is None else projects[basket["project"]]
        checkout = paid_checkout(items, market=market, chosen_project=project,
                                 donation_cents=basket["donation"] if project else 0)
        _cancel(checkout, basket)
        if basket["refund_donation"]:
            checkout_donation_refund(checkout_id=checkout.pk)
        if basket["pay_out"]:
            _pay_out(checkout)
    return market


def _cancel(checkout, basket):
    cancel = iter(basket["cancel"])
    for order in checkout.orders.order_by("pk"):
        quantities = {}
        for line in order.lines.order_by("pk"):
            units = min(next(cancel, 0), line.quantity)
            if units:
                quantities[line.pk] = units
        if quantities:
            order_lines_cancel(order=order, quantities=quantities)


def _pay_out(checkout):
    """A payout sent for each vendor order, as the transfers would after the payment."""
    for order in checkout.orders.all():
        order.refresh_from_db()
        if order.vendor_net_cents:
            Transfer.objects.create(kind=Transfer.Kind.VENDOR, checkout=checkout, order=order,
                                    amount_cents=order.vendor_net_cents,
                                    idempotency_key=f"vendor-{order.pk}",
                                    state=Transfer.State.SENT)


def ledger_sum(entries) -> int:
    return entries.aggregate(total=Sum("amount_cents", default=0))["total"]


def csv_cents(text: str) -> int:
    return -parse_euros(text[1:]) if text.startswith("-") else parse_euros(text)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(drawn=markets)
def test_every_statement_adds_up_to_the_ledger(drawn, projects):
    market = build(drawn, projects)
    ledger = LedgerEntry.objects.filter(checkout__market=market,
                                        checkout__state=Checkout.State.PAID)

    vendors = vendor_totals(market_id=market.pk)
    for line in vendors:
        own = ledger.filter(order__vendor_id=line.vendor_id)
        assert line.net_cents == ledger_sum(own.filter(kind=Kind.VENDOR_NET))
        assert line.commission_cents == ledger_sum(own.filter(kind=Kind.COMMISSION))
        assert line.solidarity_cents == ledger_sum(own.filter(kind=Kind.SOLIDARITY))
        assert line.refunds_cents == ledger_sum(own.filter(kind=Kind.REFUND))
        assert line.gross_cents - line.refunds_cents == (
            line.commission_cents + line.solidarity_cents + line.net_cents)
        assert line.net_cents == line.transferred_cents + line.owed_cents
        assert line.owed_cents >= 0

    given_to_projects = project_totals(market_id=market.pk)
    for line in given_to_projects:
        assert line.total_cents == ledger_sum(
            ledger.filter(kind__in=(Kind.SOLIDARITY, Kind.DONATION), project_id=line.project_id))
    # Everything booked for the market's orders and donations is in one statement or the other.
    booked = ledger_sum(ledger.exclude(kind=Kind.REFUND))
    assert booked == (sum(line.gross_cents - line.refunds_cents - line.solidarity_cents
                          for line in vendors)
                      + sum(line.total_cents for line in given_to_projects))

    # The CSV written from the statement reads back to the same cents.
    export = export_request(user=UserFactory(), market=market,
                            kind=ReportExport.Kind.VENDOR_STATEMENT, format="csv")
    export_build(export_id=export.pk)
    export.refresh_from_db()
    text = private_storage().open(export.file_name, "rb").read().decode("utf-8-sig")
    _, *rows, total = csv.reader(io.StringIO(text), delimiter=";")
    assert [csv_cents(row[7]) for row in rows] == [line.net_cents for line in vendors]
    assert csv_cents(total[9]) == sum(line.owed_cents for line in vendors)

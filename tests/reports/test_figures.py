"""A market's figures come from the ledger of its paid checkouts: they equal the money
charged less the money refunded, to the cent, after cancellations and refunds too."""

import datetime

import pytest
from django.db.models import Sum
from django.utils import timezone

from reports import figures
from reports.overview import market_overview
from shop.checkout.models import Checkout
from shop.orders.models import LedgerEntry, Order
from shop.orders.refunds import checkout_donation_refund, checkout_unallocated_refund
from shop.orders.services import order_lines_cancel, order_mark_ready
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    ProductFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    category,
    paid_checkout,
    product_in_market,
    reserved_checkout,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    market = MarketPageFactory(title="Noël à Rezé", commission_bps=500)
    PickupPointFactory(market=market, name="Halle Sud")
    return market


@pytest.fixture
def project(market):
    project = SolidarityProjectPageFactory(title="Épicerie solidaire",
                                           parent=market.get_parent())
    market.solidarity_projects.add(project)
    return project


def sell(market, *, price=5000, quantity=1, vendor=None, project=None, bps=0, donation=0,
         slug="vaisselle", **kwargs):
    product = product_in_market(market, price_cents=price, stock=quantity,
                                solidarity_bps=bps, solidarity_project=project,
                                vendor=vendor or VendorFactory(), category=category(slug))
    return paid_checkout([(product, quantity)], market=market, chosen_project=project,
                         donation_cents=donation, **kwargs)


def ledger(market, *kinds) -> int:
    return LedgerEntry.objects.filter(
        checkout__market=market, checkout__state=Checkout.State.PAID, kind__in=kinds,
    ).aggregate(total=Sum("amount_cents", default=0))["total"]


def charged_less_refunded(market) -> int:
    paid = Checkout.objects.filter(market=market, state=Checkout.State.PAID)
    charged = paid.aggregate(total=Sum("total_cents", default=0))["total"]
    return charged - ledger(market, LedgerEntry.Kind.REFUND)


def test_an_empty_market_has_zero_everywhere(market):
    headline = figures.market_headline(market)

    assert headline == figures.Headline() == market_overview(market).headline
    assert headline.average_basket_cents == 0
    assert market_overview(market).vendors == []
    assert figures.market_refunds(market).total_cents == 0


def test_the_headline_adds_up_to_the_money_charged_less_refunded(market, project):
    vendor = VendorFactory(name="Ressourcerie du Port")
    sell(market, price=5000, quantity=2, vendor=vendor, project=project, bps=1000,
         donation=300)
    cancelled = sell(market, price=1999, quantity=3, project=project, bps=500)
    sell(market, price=1250, donation=200, project=project)
    refunded_donation = sell(market, price=800, donation=150, project=project)
    sell(MarketPageFactory(), price=99_999)  # another market
    order = cancelled.orders.get()
    order_lines_cancel(order=order, quantities={order.lines.get().pk: 1})
    checkout_donation_refund(checkout_id=refunded_donation.pk)
    checkout_unallocated_refund(checkout_id=refunded_donation.pk, amount_cents=100,
                                memo="refunded from the Stripe dashboard")

    headline = figures.market_headline(market)

    kind = LedgerEntry.Kind
    assert headline.sales_cents == ledger(market, kind.VENDOR_NET, kind.COMMISSION,
                                          kind.SOLIDARITY)
    assert headline.sales_cents == 10_000 + 2 * 1999 + 1250 + 800 - 100
    assert headline.donation_cents == 300 + 200
    assert headline.commission_cents == ledger(market, kind.COMMISSION)
    assert headline.solidarity_cents == 1000 + 200  # 10 % of 100 €, 5 % of 2 × 19,99 €
    assert headline.refund_cents == 1999 + 150 + 100
    assert headline.received_cents == charged_less_refunded(market)
    assert (headline.orders, headline.baskets, headline.vendors) == (4, 4, 4)
    assert headline.average_basket_cents == round((10_000 + 3998 + 1250 + 700) / 4)
    # The dashboard reads the same figures in one pass over the ledger.
    assert market_overview(market).headline == headline


def test_a_vendor_whose_units_were_gone_sold_nothing_and_refunded_everything(market):
    product = product_in_market(market, price_cents=4000, stock=1)
    late = reserved_checkout(market, [(product, 1)], session_key="late")
    sell(market, price=4000, vendor=product.vendor, session="first")
    product.refresh_from_db()
    product.stock = 0
    product.save()
    from shop.orders.completion import checkout_complete

    checkout_complete(checkout=late, payment_reference="pay_late", gateway="demo")

    headline = figures.market_headline(market)
    assert headline.refund_cents == 4000
    assert headline.orders == 1
    assert headline.received_cents == charged_less_refunded(market)
    assert market_overview(market).headline == headline


def test_sales_by_vendor_are_sorted_and_carry_their_refunds(market):
    small, big = VendorFactory(name="Petit Atelier"), VendorFactory(name="Grande Recyclerie")
    sell(market, price=1000, vendor=small)
    checkout = sell(market, price=3000, quantity=2, vendor=big)
    order = checkout.orders.get()
    order_lines_cancel(order=order, quantities={order.lines.get().pk: 1})

    rows = market_overview(market).vendors

    assert [(row.name, row.sales_cents, row.refund_cents, row.orders) for row in rows] == [
        ("Grande Recyclerie", 3000, 3000, 1), ("Petit Atelier", 1000, 0, 1)]
    assert rows[0].commission_cents == 150


def test_sales_by_day_follow_paris_days_across_the_market(market):
    market.opens_at = timezone.now() - datetime.timedelta(days=2)
    market.save()
    checkout = sell(market, price=2500)
    today = timezone.localdate()

    days = market_overview(market, today=today).days

    assert days[0].day == timezone.localdate(market.opens_at)
    assert days[-1].day == today
    assert len(days) == 3
    paid_day = timezone.localdate(checkout.paid_at)
    assert [(d.sales_cents, d.orders) for d in days if d.day == paid_day] == [(2500, 1)]
    assert sum(d.sales_cents for d in days) == 2500


def test_a_payment_just_after_midnight_in_paris_counts_for_that_paris_day(market):
    checkout = sell(market, price=700)
    late_evening_utc = datetime.datetime(2026, 12, 5, 23, 30, tzinfo=datetime.UTC)
    Checkout.objects.filter(pk=checkout.pk).update(paid_at=late_evening_utc)
    Order.objects.filter(checkout=checkout).update(paid_at=late_evening_utc)

    days = market_overview(market, today=timezone.localdate()).days

    assert [(d.day, d.sales_cents) for d in days if d.sales_cents] == [
        (datetime.date(2026, 12, 6), 700)]


def test_sales_by_category_count_units_kept(market):
    sell(market, price=1500, quantity=2, slug="vaisselle")
    other = ProductFactory(price_cents=900, stock=1, category=category("livres"))
    paid_checkout([(other, 1)], market=market)

    rows = figures.market_sales_by_category(market)

    assert [(row.name, row.sales_cents, row.units) for row in rows] == [
        ("Vaisselle et arts de la table", 3000, 2), ("Livres", 900, 1)]


def test_projects_get_their_shares_and_donations_with_the_contributions(market, project):
    sell(market, price=5000, project=project, bps=1000, donation=300)
    sell(market, price=1000, project=project, bps=1000)
    sell(market, price=1000)

    [row] = figures.market_project_amounts(market)

    assert (row.title, row.solidarity_cents, row.donation_cents, row.total_cents,
            row.contributions) == ("Épicerie solidaire", 600, 300, 900, 2)


def test_pick_up_load_counts_orders_by_progress_per_point(market):
    other_point = PickupPointFactory(market=market, name="Boutique Nord")
    first = sell(market, price=1000).orders.get()
    sell(market, price=1000)
    sell(market, price=1000, pickup_point=other_point)
    order_mark_ready(order=first)

    loads = figures.market_pickup_load(market)

    assert [(load.name, load.to_prepare, load.ready, load.total) for load in loads] == [
        ("Boutique Nord", 1, 0, 1), ("Halle Sud", 1, 1, 2)]

"""Each vendor pays its own commission rate (the market's unless the organiser set one for
it), frozen at reservation with the other amounts, and booked to the market's organiser."""

import pytest
from django.urls import reverse

from markets.models import Market, MarketParticipation
from shop.checkout.pricing import checkout_amounts
from shop.checkout.review import AmountLine
from shop.checkout.services import checkout_reserve
from shop.models import LedgerEntry, Order
from shop.orders.completion import checkout_complete
from shop.orders.ledger import checkout_organiser_commission
from shop.orders.refunds import checkout_unallocated_refund
from shop.orders.services import order_lines_cancel
from tests.factories import (
    MarketPageFactory,
    ProductFactory,
    VendorFactory,
    paid_checkout,
    reserved_checkout,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    return MarketPageFactory(commission_bps=500)


def own_rate(market, vendor, bps):
    MarketParticipation.objects.update_or_create(
        market=market, vendor=vendor,
        defaults={"state": MarketParticipation.State.APPROVED, "commission_bps": bps})


@pytest.fixture
def association(market):
    """A small association the organiser takes no commission from."""
    product = ProductFactory(vendor=VendorFactory(name="Petite asso"), price_cents=2000, stock=5)
    own_rate(market, product.vendor, 0)
    return product


@pytest.fixture
def ressourcerie(market):
    """A vendor paying the market's rate."""
    product = ProductFactory(vendor=VendorFactory(name="Ressourcerie"), price_cents=3000,
                             stock=5)
    own_rate(market, product.vendor, None)
    return product


def test_the_review_reads_each_vendor_rate(market, association, ressourcerie):
    checkout = reserved_checkout(market, [(association, 1), (ressourcerie, 1)],
                                 session_key="review", reserve=False)
    amount_lines = [
        AmountLine(vendor_id=line.product.vendor_id, quantity=line.quantity,
                   unit_price_cents=line.product.price_cents, solidarity_bps=0,
                   solidarity_project_id=None)
        for line in checkout.cart.lines.select_related("product")
    ]

    splits, _, _ = checkout_amounts(checkout=checkout, lines=amount_lines)

    assert splits[association.vendor_id].commission_cents == 0
    assert splits[ressourcerie.vendor_id].commission_cents == 150


def test_the_rates_frozen_at_reservation_are_those_booked(market, association, ressourcerie):
    # Given a checkout reserved while the association pays 0 % and the ressourcerie 5 %
    checkout = reserved_checkout(market, [(association, 2), (ressourcerie, 1)],
                                 session_key="frozen")
    total = checkout.total_cents

    # When the organiser changes both rates before the payment comes
    Market.objects.filter(pk=market.pk).update(commission_bps=1000)
    own_rate(market, association.vendor, 2000)
    checkout_complete(checkout=checkout, payment_reference="pay", gateway="demo",
                      amount_cents=total)

    # Then the shopper pays, and each vendor gives, what was frozen
    orders = {order.vendor_id: order for order in Order.objects.filter(checkout=checkout)}
    asso, shop = orders[association.vendor_id], orders[ressourcerie.vendor_id]
    assert (asso.commission_bps, asso.commission_cents, asso.vendor_net_cents) == (0, 0, 4000)
    assert (shop.commission_bps, shop.commission_cents, shop.vendor_net_cents) == (500, 150,
                                                                                  2850)
    checkout.refresh_from_db()
    assert checkout.total_cents == total == 7000


def test_reviewing_again_freezes_the_new_rate(market, ressourcerie):
    checkout = reserved_checkout(market, [(ressourcerie, 1)], session_key="again")
    own_rate(market, ressourcerie.vendor, 250)

    checkout_reserve(checkout=checkout)

    assert list(checkout.lines.values_list("commission_bps", flat=True)) == [250]


def test_the_ledger_books_each_vendor_commission_to_the_organiser(market, association,
                                                                   ressourcerie):
    own_rate(market, association.vendor, 250)

    checkout = paid_checkout([(association, 2), (ressourcerie, 2)], market=market)

    entries = LedgerEntry.objects.filter(checkout=checkout, kind=LedgerEntry.Kind.COMMISSION)
    booked = {entry.order.vendor_id: (entry.amount_cents, entry.organiser)
              for entry in entries}
    assert booked == {association.vendor_id: (100, market.organiser),
                      ressourcerie.vendor_id: (300, market.organiser)}
    assert sum(entry.amount_cents for entry in checkout.ledger.all()) == checkout.total_cents


def test_cancelled_units_come_off_the_organiser_at_the_frozen_rate(market, ressourcerie):
    # Given a paid order at 5 %, and the organiser's rate changed since
    order = paid_checkout([(ressourcerie, 2)], market=market).orders.get()
    Market.objects.filter(pk=market.pk).update(commission_bps=3000)
    line = order.lines.get()

    # When the vendor cancels one unit
    order_lines_cancel(order=order, quantities={line.pk: 1})

    # Then the commission on that unit comes off the organiser's, at 5 %
    entries = LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.COMMISSION)
    assert sorted(entries.values_list("amount_cents", "organiser_id")) == [
        (-150, market.organiser.pk), (300, market.organiser.pk)]
    order.refresh_from_db()
    assert (order.commission_cents, order.commission_bps) == (150, 500)


def test_the_vendor_reads_the_rate_of_its_order(client, vendor_a, market,
                                                django_assert_max_num_queries):
    product = ProductFactory(vendor=vendor_a.vendor, price_cents=4000, stock=2)
    own_rate(market, vendor_a.vendor, 250)
    order = paid_checkout([(product, 1)], market=market).orders.get()
    client.force_login(vendor_a.user)

    with django_assert_max_num_queries(40):
        html = client.get(reverse("shop_order_admin:inspect", args=[order.pk])).content

    assert "1,00\u00a0€ (à 2,5\u00a0%)" in html.decode()


def test_money_given_back_outside_the_platform_leaves_the_organiser_commission(
        market, ressourcerie):
    checkout = paid_checkout([(ressourcerie, 2)], market=market)

    checkout_unallocated_refund(checkout_id=checkout.pk, amount_cents=500, memo="geste")

    assert checkout_organiser_commission(checkout) == {market.organiser.pk: 300}
    platform = LedgerEntry.objects.filter(checkout=checkout, organiser=None,
                                          kind=LedgerEntry.Kind.COMMISSION)
    assert list(platform.values_list("amount_cents", flat=True)) == [-500]

"""For any basket, completing a checkout books every cent: the ledger entries of the
checkout add up to the amount charged, and no vendor is left owing money, whatever rate
each vendor pays (the market's or its own)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.models import MarketPage
from shop.checkout.cart import cart_add, cart_for_session
from shop.checkout.services import checkout_reserve
from shop.models import Checkout, CheckoutFulfilment, LedgerEntry
from shop.money import share_of
from shop.orders.completion import checkout_complete
from tests.factories import (
    MarketPageFactory,
    ParticipationFactory,
    ProductFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db

lines = st.lists(
    st.fixed_dictionaries({
        "price": st.integers(1, 50_000),
        "quantity": st.integers(1, 3),
        "share_bps": st.integers(0, 10_000),
        "own_project": st.booleans(),
    }),
    min_size=1, max_size=5,
)
vendors = st.lists(
    st.fixed_dictionaries({"lines": lines, "shipping": st.integers(0, 1500),
                           "own_rate": st.one_of(st.none(), st.integers(0, 5000))}),
    min_size=1, max_size=4,
)
baskets = st.fixed_dictionaries({
    "vendors": vendors,
    "commission_bps": st.integers(0, 3000),
    "chosen_project": st.booleans(),
    "donation": st.one_of(st.integers(0, 5000), st.just("round up")),
})


@pytest.fixture
def market_and_project():
    return MarketPageFactory(), SolidarityProjectPageFactory()


def buy(basket, market, project) -> Checkout:
    MarketPage.objects.filter(pk=market.pk).update(commission_bps=basket["commission_bps"])
    cart = cart_for_session(session_key="property")
    checkout = Checkout.objects.create(
        market=market, cart=cart, email="acheteuse@example.org",
        chosen_project=project if basket["chosen_project"] else None,
        donation_cents=0 if basket["donation"] == "round up" else basket["donation"],
        donation_round_up=basket["donation"] == "round up",
    )
    for drawn in basket["vendors"]:
        vendor = VendorFactory(shipping_fee_cents=drawn["shipping"])
        ParticipationFactory(market=market, vendor=vendor, commission_bps=drawn["own_rate"])
        for line in drawn["lines"]:
            product = ProductFactory(
                vendor=vendor, price_cents=line["price"], stock=line["quantity"],
                solidarity_bps=line["share_bps"],
                solidarity_project=project if line["own_project"] else None,
            )
            cart_add(cart=cart, market=market, product=product, quantity=line["quantity"])
        CheckoutFulfilment.objects.create(
            checkout=checkout, vendor=vendor,
            method=(CheckoutFulfilment.Method.SHIPPING if drawn["shipping"]
                    else CheckoutFulfilment.Method.PICKUP),
        )
    assert checkout_reserve(checkout=checkout).ok
    checkout_complete(checkout=checkout, payment_reference="property", gateway="demo")
    return Checkout.objects.get(pk=checkout.pk)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(basket=baskets)
def test_the_ledger_of_any_checkout_adds_up_to_the_amount_charged(market_and_project, basket):
    market, project = market_and_project
    with transaction.atomic():
        checkout = buy(basket, market, project)

        entries = list(LedgerEntry.objects.filter(checkout=checkout))
        orders = list(checkout.orders.all())
        assert checkout.state == Checkout.State.PAID
        assert sum(entry.amount_cents for entry in entries) == checkout.total_cents
        assert len(orders) == len(basket["vendors"])
        rates = [basket["commission_bps"] if drawn["own_rate"] is None else drawn["own_rate"]
                 for drawn in basket["vendors"]]
        by_vendor = sorted(orders, key=lambda order: order.vendor_id)
        assert [order.commission_bps for order in by_vendor] == rates
        for order in orders:
            assert order.vendor_net_cents >= 0
            assert (order.vendor_net_cents + order.commission_cents + order.solidarity_cents
                    == order.gross_cents)
            assert order.commission_cents <= share_of(order.gross_cents, order.commission_bps)
        organiser = market.organiser
        commission = [entry for entry in entries if entry.kind == LedgerEntry.Kind.COMMISSION]
        assert all(entry.organiser == organiser for entry in commission)
        assert sum(entry.amount_cents for entry in commission) == sum(
            order.commission_cents for order in orders)
        donation = checkout.total_cents - sum(order.gross_cents for order in orders)
        assert donation >= 0
        if basket["donation"] == "round up":
            assert checkout.total_cents % 100 == 0 and donation < 100
        else:
            assert donation == basket["donation"]
        transaction.set_rollback(True)

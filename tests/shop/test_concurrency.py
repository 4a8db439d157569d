"""No unit is ever sold twice, with real concurrent transactions on PostgreSQL."""

import pytest
from django.db import connection

from shop.checkout.cart import cart_add, cart_for_session
from shop.checkout.services import checkout_reserve
from shop.models import Checkout, CheckoutFulfilment, Order, Product
from shop.orders.completion import checkout_complete
from tests.factories import MarketPageFactory, PickupPointFactory, product_in_market
from tests.helpers import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def make_checkout(market, product, session, point):
    cart = cart_for_session(session_key=session)
    cart_add(cart=cart, market=market, product=product)
    checkout = Checkout.objects.create(market=market, cart=cart, email=f"{session}@example.org")
    CheckoutFulfilment.objects.create(checkout=checkout, vendor=product.vendor, pickup_point=point)
    return checkout


def test_fifty_buyers_racing_for_ten_unique_items_buy_exactly_ten():
    market = MarketPageFactory()
    point = PickupPointFactory(market=market)
    items = [product_in_market(market, title=f"Pièce unique {n}", stock=1) for n in range(10)]
    checkouts = [
        make_checkout(market, items[n % 10], f"buyer-{n}", point) for n in range(50)
    ]

    def buy(checkout):
        def attempt():
            result = checkout_reserve(checkout=checkout)
            if not result.ok:
                return result
            return checkout_complete(checkout=checkout, payment_reference=f"pay-{checkout.pk}")
        return attempt

    results, errors = run_together([buy(checkout) for checkout in checkouts])

    assert errors == []
    told_gone = [r for r in results if hasattr(r, "unavailable") and r.unavailable]
    assert len(told_gone) == 40
    assert all(u.available == 0 for r in told_gone for u in r.unavailable)
    assert Order.objects.filter(state=Order.State.PAID).count() == 10
    assert set(Product.objects.filter(pk__in=[i.pk for i in items])
               .values_list("stock", flat=True)) == {0}
    assert connection.vendor == "postgresql"


def test_the_same_checkout_completed_twice_at_once_yields_one_set_of_orders():
    market = MarketPageFactory()
    point = PickupPointFactory(market=market)
    product = product_in_market(market, stock=2)
    checkout = make_checkout(market, product, "double-click", point)
    checkout_reserve(checkout=checkout)

    results, errors = run_together([lambda: checkout_complete(checkout=checkout)] * 5)

    assert errors == []
    assert Order.objects.filter(checkout=checkout).count() == 1
    assert {tuple(o.pk for o in r.orders) for r in results} == {
        (Order.objects.get(checkout=checkout).pk,)
    }
    assert Product.objects.get(pk=product.pk).stock == 1

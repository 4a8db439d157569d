"""A pick-up slot is never overbooked, with real concurrent transactions on PostgreSQL."""

import pytest

from markets.pickup import slot_bookings
from shop.checkout.cart import cart_add, cart_for_session
from shop.checkout.services import checkout_reserve
from shop.models import Checkout, CheckoutFulfilment, Order
from shop.orders.completion import checkout_complete
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    PickupSlotFactory,
    product_in_market,
)
from tests.helpers import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_twenty_baskets_racing_for_a_slot_of_five_never_overbook_it():
    # given twenty shoppers, each with plenty of stock, choosing the same slot of five
    market = MarketPageFactory()
    slot = PickupSlotFactory(point=PickupPointFactory(market=market), capacity=5)
    checkouts = []
    for n in range(20):
        product = product_in_market(market, title=f"Bocal {n}", stock=10)
        cart = cart_for_session(session_key=f"slot-race-{n}")
        cart_add(cart=cart, market=market, product=product)
        checkout = Checkout.objects.create(market=market, cart=cart,
                                           email=f"acheteur-{n}@example.org")
        CheckoutFulfilment.objects.create(checkout=checkout, vendor=product.vendor,
                                          pickup_point=slot.point, pickup_slot=slot)
        checkouts.append(checkout)

    def buy(checkout):
        def attempt():
            result = checkout_reserve(checkout=checkout)
            if result.ok:
                checkout_complete(checkout=checkout, payment_reference=f"pay-{checkout.pk}")
            return result
        return attempt

    # when they all confirm and pay at once
    results, errors = run_together([buy(checkout) for checkout in checkouts])

    # then exactly five hold the slot, the others are told it is full
    assert errors == []
    assert sum(1 for result in results if result.ok) == 5
    assert sum(1 for result in results if result.slot_full == slot) == 15
    assert Order.objects.filter(pickup_slot=slot).count() == 5
    assert slot_bookings([slot.pk]) == {slot.pk: 5}

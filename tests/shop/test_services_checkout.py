"""Reservations and completion: the heart of the shop, through its services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.checkout.cart import cart_add, cart_for_session
from shop.checkout.services import checkout_release, checkout_reserve, reservations_purge
from shop.models import Checkout, CheckoutFulfilment, LedgerEntry, Order, Product, Reservation
from shop.orders.completion import checkout_complete
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    SolidarityProjectPageFactory,
    product_in_market,
)

pytestmark = pytest.mark.django_db


def basket_checkout(market, products, session="s1", **checkout_fields):
    cart = cart_for_session(session_key=session)
    for product, quantity in products:
        cart_add(cart=cart, market=market, product=product, quantity=quantity)
    checkout = Checkout.objects.create(
        market=market, cart=cart, email="acheteuse@example.org", first_name="Léa",
        last_name="Durand", **checkout_fields,
    )
    point = market.pickup_points.first() or PickupPointFactory(market=market)
    for vendor_id in {product.vendor_id for product, _ in products}:
        CheckoutFulfilment.objects.create(checkout=checkout, vendor_id=vendor_id,
                                          pickup_point=point)
    return checkout


def ledger_total(checkout) -> int:
    return sum(LedgerEntry.objects.filter(checkout=checkout).values_list("amount_cents", flat=True))


def test_reserving_holds_the_units_and_freezes_the_total():
    market = MarketPageFactory(commission_bps=500)
    product = product_in_market(market, price_cents=2000, stock=1)
    checkout = basket_checkout(market, [(product, 1)])

    result = checkout_reserve(checkout=checkout)

    checkout.refresh_from_db()
    assert result.ok
    assert checkout.state == Checkout.State.RESERVED
    assert checkout.total_cents == 2000
    reservation = Reservation.objects.get(checkout=checkout)
    assert reservation.expires_at > timezone.now() + timedelta(minutes=14)


def test_a_unit_held_by_another_shopper_is_reported_and_the_rest_kept():
    market = MarketPageFactory()
    unique = product_in_market(market, title="Pièce unique", stock=1)
    other = product_in_market(market, title="Autre objet", stock=3)
    first = basket_checkout(market, [(unique, 1)], session="a")
    checkout_reserve(checkout=first)
    second = basket_checkout(market, [(unique, 1), (other, 2)], session="b")

    result = checkout_reserve(checkout=second)

    assert [(u.product.title, u.available) for u in result.unavailable] == [("Pièce unique", 0)]
    assert list(second.lines.values_list("title", flat=True)) == ["Autre objet"]
    assert second.cart.lines.count() == 2


def test_completing_sells_the_units_and_books_every_cent():
    market = MarketPageFactory(commission_bps=500)
    project = SolidarityProjectPageFactory()
    a = product_in_market(market, price_cents=1999, stock=2, solidarity_bps=2000,
                          solidarity_project=project)
    b = product_in_market(market, price_cents=1250, stock=1)
    checkout = basket_checkout(market, [(a, 2), (b, 1)], donation_round_up=True)
    checkout_reserve(checkout=checkout)

    result = checkout_complete(checkout=checkout, payment_reference="pay_1", gateway="demo")

    checkout.refresh_from_db()
    assert checkout.state == Checkout.State.PAID
    assert len(result.orders) == 2
    assert Product.objects.get(pk=a.pk).stock == 0
    assert Product.objects.get(pk=b.pk).stock == 0
    assert checkout.total_cents == 1999 * 2 + 1250 + (100 - (1999 * 2 + 1250) % 100)
    assert ledger_total(checkout) == checkout.total_cents
    order_a = Order.objects.get(checkout=checkout, vendor=a.vendor)
    assert order_a.solidarity_cents == 800  # 20 % of 39,98 €, rounded half to even
    assert order_a.commission_cents == 200  # 5 % of 39,98 €
    assert order_a.vendor_net_cents == 3998 - 200 - 800
    assert not Reservation.objects.filter(checkout=checkout).exists()
    assert checkout.cart.lines.count() == 0


def test_completing_twice_yields_the_same_orders():
    market = MarketPageFactory()
    product = product_in_market(market, stock=1)
    checkout = basket_checkout(market, [(product, 1)])
    checkout_reserve(checkout=checkout)

    first = checkout_complete(checkout=checkout)
    second = checkout_complete(checkout=checkout)

    assert [o.pk for o in first.orders] == [o.pk for o in second.orders]
    assert second.already_completed
    assert Order.objects.filter(checkout=checkout).count() == 1
    assert Product.objects.get(pk=product.pk).stock == 0


def test_a_late_payment_is_honoured_when_the_stock_is_still_there():
    market = MarketPageFactory()
    product = product_in_market(market, stock=1)
    checkout = basket_checkout(market, [(product, 1)])
    checkout_reserve(checkout=checkout)
    Reservation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    result = checkout_complete(checkout=checkout)

    assert result.refunds_due == []
    assert result.orders[0].state == Order.State.PAID


def test_a_late_payment_whose_units_went_to_someone_else_is_refunded_for_that_vendor():
    market = MarketPageFactory()
    gone = product_in_market(market, title="Partie", stock=1)
    kept = product_in_market(market, title="Restée", stock=1)
    late = basket_checkout(market, [(gone, 1), (kept, 1)], session="late")
    checkout_reserve(checkout=late)
    Reservation.objects.filter(checkout=late).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    quick = basket_checkout(market, [(gone, 1)], session="quick")
    checkout_reserve(checkout=quick)
    checkout_complete(checkout=quick)

    result = checkout_complete(checkout=late)

    refunded = Order.objects.get(checkout=late, vendor=gone.vendor)
    assert [order.pk for order in result.refunds_due] == [refunded.pk]
    assert refunded.state == Order.State.REFUNDED
    assert Order.objects.get(checkout=late, vendor=kept.vendor).state == Order.State.PAID
    assert Product.objects.get(pk=gone.pk).stock == 0
    late.refresh_from_db()
    assert ledger_total(late) == late.total_cents


def test_releasing_gives_the_units_back():
    market = MarketPageFactory()
    product = product_in_market(market, stock=1)
    checkout = basket_checkout(market, [(product, 1)])
    checkout_reserve(checkout=checkout)

    checkout_release(checkout=checkout)

    checkout.refresh_from_db()
    assert checkout.state == Checkout.State.OPEN
    assert not Reservation.objects.exists()


def test_expired_reservations_are_ignored_then_purged():
    market = MarketPageFactory()
    product = product_in_market(market, stock=1)
    first = basket_checkout(market, [(product, 1)], session="a")
    checkout_reserve(checkout=first)
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    second = basket_checkout(market, [(product, 1)], session="b")

    assert checkout_reserve(checkout=second).ok
    assert reservations_purge() == 1


def test_nothing_is_reserved_in_a_market_that_is_not_open():
    market = MarketPageFactory(opens_at=timezone.now() + timedelta(days=1),
                               closes_at=timezone.now() + timedelta(days=9))
    product = product_in_market(market, stock=1)
    checkout = basket_checkout(market, [(product, 1)])

    result = checkout_reserve(checkout=checkout)

    assert not result.ok
    assert not Reservation.objects.exists()

"""Money that never drifts: each case once let a charge and its orders or ledger come
apart. Services through the demo gateway; the Stripe-specific cases live in stripe/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from payments.ledger import checkout_balance
from payments.models import Payment, Refund
from payments.services import payment_precheck, payment_start, payment_succeeded
from shop.checkout.cart import cart_add
from shop.checkout.services import checkout_reopen, checkout_reserve
from shop.models import Checkout, LedgerEntry, Order
from tests.factories import MarketPageFactory, product_in_market, reserved_checkout

from .conftest import card

pytestmark = pytest.mark.django_db


def _balanced(checkout) -> bool:
    return checkout_balance(checkout=Checkout.objects.get(pk=checkout.pk)).balanced


def test_a_payment_for_an_earlier_basket_is_refunded_and_completes_nothing():
    # Given a shopper who reached the payment step for item A (payment 1)…
    market = MarketPageFactory(commission_bps=500)
    item_a = product_in_market(market, title="Théière", price_cents=1000, stock=1)
    item_b = product_in_market(market, title="Nappe", price_cents=1100, stock=1)
    checkout = reserved_checkout(market, [(item_a, 1)], session_key="drift-1")
    first = payment_start(checkout=checkout)
    # …then added item B in another tab and reviewed again (payment 2 for A+B)
    cart_add(cart=checkout.cart, market=market, product=item_b)
    checkout_reserve(checkout=checkout)
    second = payment_start(checkout=Checkout.objects.get(pk=checkout.pk))

    # When payment 1 is confirmed and its verdict arrives
    result = payment_succeeded(payment=first)

    # Then nothing is ordered on 10 € for 21 € of goods: payment 1 is refunded in full
    assert result.refused == Refund.Reason.MISMATCH
    assert not Order.objects.filter(checkout=checkout).exists()
    assert not LedgerEntry.objects.filter(checkout=checkout).exists()
    refund = Refund.objects.get(payment=first)
    assert (refund.amount_cents, refund.reason) == (1000, Refund.Reason.MISMATCH)
    assert Payment.objects.get(pk=first.pk).state == Payment.State.REFUNDED
    assert _balanced(checkout)
    # and payment 2, for what the basket holds now, completes it
    payment_succeeded(payment=second)
    checkout.refresh_from_db()
    assert checkout.state == Checkout.State.PAID
    assert sum(LedgerEntry.objects.filter(checkout=checkout)
               .values_list("amount_cents", flat=True)) == 2100 == checkout.total_cents
    assert _balanced(checkout)


def test_starting_a_new_payment_cancels_the_one_for_the_earlier_basket():
    market = MarketPageFactory()
    item = product_in_market(market, price_cents=1000, stock=2)
    checkout = reserved_checkout(market, [(item, 1)], session_key="drift-2")
    first = payment_start(checkout=checkout)
    checkout_reserve(checkout=checkout)

    payment_start(checkout=Checkout.objects.get(pk=checkout.pk))

    assert Payment.objects.get(pk=first.pk).state == Payment.State.CANCELLED


def test_a_shipping_fee_changed_after_the_review_does_not_change_what_is_booked():
    # Given a checkout reserved with a 4,00 € shipping fee
    market = MarketPageFactory(commission_bps=500, shipping_allowed=True)
    item = product_in_market(market, price_cents=2100, stock=1)
    item.vendor.shipping_fee_cents = 400
    item.vendor.save()
    checkout = reserved_checkout(market, [(item, 1)], session_key="drift-3")
    checkout.fulfilments.update(method="shipping", shipping_name="Léa", shipping_city="Nantes",
                                shipping_postcode="44000", shipping_address="1 rue Kervégan")
    checkout_reserve(checkout=checkout)
    payment = payment_start(checkout=Checkout.objects.get(pk=checkout.pk))
    assert payment.amount_cents == 2500
    # When the vendor raises its fee and the organiser its commission before the payment
    item.vendor.shipping_fee_cents = 800
    item.vendor.save()
    market.commission_bps = 2000
    market.save()

    payment_succeeded(payment=payment)

    # Then the order and the ledger book exactly the 25,00 € charged, at the frozen rate
    order = Order.objects.get(checkout=checkout)
    assert (order.gross_cents, order.shipping_cents) == (2500, 400)
    assert order.commission_cents == 125
    assert sum(LedgerEntry.objects.filter(checkout=checkout)
               .values_list("amount_cents", flat=True)) == 2500
    assert _balanced(checkout)


def test_a_payment_after_the_market_closed_is_refused_before_charging(client):
    market = MarketPageFactory()
    item = product_in_market(market, price_cents=1500, stock=1)
    checkout = reserved_checkout(market, [(item, 1)], session_key=client.session.session_key)
    market.closes_at = timezone.now() - timedelta(seconds=29)
    market.save()

    response = client.post(f"/paiement/{checkout.reference}/", card(), follow=True)

    assert "fermé" in response.content.decode()
    assert not Payment.objects.filter(checkout=checkout).exists()
    assert not Order.objects.filter(checkout=checkout).exists()


def test_a_payment_started_before_closing_may_finish_within_the_grace_period(settings):
    settings.MARKET_CLOSING_GRACE_MINUTES = 30
    market = MarketPageFactory()
    item = product_in_market(market, price_cents=1500, stock=1)
    checkout = reserved_checkout(market, [(item, 1)], session_key="drift-grace")
    payment = payment_start(checkout=checkout)
    market.closes_at = timezone.now() + timedelta(seconds=1)
    market.save()
    later = timezone.now() + timedelta(minutes=10)

    assert payment_precheck(checkout=checkout, now=later) == ""
    assert payment_precheck(checkout=checkout, now=later + timedelta(minutes=30)) != ""
    result = payment_succeeded(payment=payment)
    assert Order.objects.get(checkout=checkout) in result.orders


def test_a_payment_started_after_closing_is_refunded_if_it_succeeds_anyway():
    market = MarketPageFactory()
    item = product_in_market(market, price_cents=1500, stock=1)
    checkout = reserved_checkout(market, [(item, 1)], session_key="drift-late")
    payment = payment_start(checkout=checkout)
    market.closes_at = timezone.now() - timedelta(minutes=1)
    market.save()
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now())

    result = payment_succeeded(payment=payment)

    assert result.refused == Refund.Reason.CLOSED
    assert not Order.objects.filter(checkout=checkout).exists()
    assert Refund.objects.get(payment=payment).amount_cents == 1500
    assert _balanced(checkout)


def test_a_refund_replayed_after_a_rollback_asks_for_the_same_refund():
    from payments.refunds import payment_refund

    market = MarketPageFactory()
    item = product_in_market(market, price_cents=1500, stock=2)
    checkout = reserved_checkout(market, [(item, 2)], session_key="drift-key")
    payment = payment_start(checkout=checkout)
    payment_succeeded(payment=payment)
    order = Order.objects.get(checkout=checkout)
    key = f"refund-cancel-{order.pk}-{order.refunded_cents}"

    first = payment_refund(payment=payment, order=order, amount_cents=1500, key=key)
    again = payment_refund(payment=payment, order=order, amount_cents=1500, key=key)

    assert first.pk == again.pk
    assert Refund.objects.count() == 1


def test_a_payment_for_a_checkout_changed_since_completes_nothing():
    # Given a shopper at the payment step who goes back and changes the pick-up
    market = MarketPageFactory()
    item = product_in_market(market, price_cents=1500, stock=1)
    checkout = reserved_checkout(market, [(item, 1)], session_key="drift-reopen")
    payment = payment_start(checkout=checkout)
    checkout_reopen(checkout=checkout)

    # When the payment started before the change goes through anyway
    result = payment_succeeded(payment=payment)

    # Then it is refunded: what is paid must be what was chosen
    assert result.refused == Refund.Reason.MISMATCH
    assert not Order.objects.filter(checkout=checkout).exists()
    assert _balanced(checkout)

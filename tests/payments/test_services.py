"""The payment services and the demo gateway, without HTTP."""

import pytest

from payments.gateways import get_gateway
from payments.gateways.demo import DemoGateway
from payments.gateways.stripe import StripeGateway
from payments.models import Payment, Refund
from payments.refunds import payment_refund
from payments.services import payment_failed, payment_start, payment_succeeded
from shop.checkout.services import checkout_reserve
from shop.models import Checkout, LedgerEntry, Order
from tests.factories import MarketPageFactory, product_in_market, reserved_checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkout():
    market = MarketPageFactory(commission_bps=800)
    products = [(product_in_market(market, price_cents=price, stock=2), 1)
                for price in (1299, 2500)]
    return reserved_checkout(market, products, session_key="session-services")


def test_the_demo_gateway_is_the_default():
    assert isinstance(get_gateway(), DemoGateway)


def test_a_stripe_key_selects_the_stripe_gateway(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_123"

    assert isinstance(get_gateway(), StripeGateway)


def test_starting_twice_reuses_the_payment_for_the_same_amount(checkout):
    first = payment_start(checkout=checkout)

    second = payment_start(checkout=checkout)

    assert second.pk == first.pk
    assert (first.amount_cents, first.currency, first.state) == (
        3799, "EUR", Payment.State.CREATED)
    assert first.external_id.startswith("demo_")


def test_a_new_reservation_gets_a_new_payment_and_cancels_the_old_one(checkout):
    first = payment_start(checkout=checkout)
    checkout_reserve(checkout=checkout)

    second = payment_start(checkout=Checkout.objects.get(pk=checkout.pk))

    assert second.pk != first.pk
    assert second.checkout_revision == first.checkout_revision + 1
    assert Payment.objects.get(pk=first.pk).state == Payment.State.CANCELLED


def test_a_succeeded_payment_twice_completes_once(checkout):
    payment = payment_start(checkout=checkout)

    first = payment_succeeded(payment=payment)
    second = payment_succeeded(payment=payment)

    assert not first.already_completed and second.already_completed
    assert [o.pk for o in first.orders] == [o.pk for o in second.orders]
    assert Order.objects.filter(checkout=checkout).count() == 2
    assert not Refund.objects.exists()
    total = sum(LedgerEntry.objects.filter(checkout=checkout)
                .values_list("amount_cents", flat=True))
    assert total == Checkout.objects.get(pk=checkout.pk).total_cents


def test_a_second_charge_for_a_paid_checkout_is_refunded_in_full(checkout):
    payment_succeeded(payment=payment_start(checkout=checkout))
    stray = Payment.objects.create(checkout=checkout, gateway="demo", external_id="demo_pi_x",
                                   amount_cents=checkout.total_cents,
                                   checkout_revision=checkout.revision)

    payment_succeeded(payment=stray)
    payment_succeeded(payment=stray)

    refund = Refund.objects.get()
    assert (refund.payment, refund.order, refund.amount_cents, refund.reason) == (
        stray, None, stray.amount_cents, Refund.Reason.DUPLICATE)
    assert Payment.objects.get(pk=stray.pk).state == Payment.State.REFUNDED
    assert Order.objects.filter(checkout=checkout).count() == 2


def test_a_failure_after_success_changes_nothing(checkout):
    payment = payment_start(checkout=checkout)
    payment_succeeded(payment=payment)

    payment_failed(payment=payment, message="trop tard")

    assert Payment.objects.get(pk=payment.pk).state == Payment.State.SUCCEEDED
    assert Checkout.objects.get(pk=checkout.pk).state == Checkout.State.PAID


def test_a_failed_payment_frees_the_reservations(checkout):
    payment = payment_start(checkout=checkout)

    payment_failed(payment=payment, message="Carte refusée (démo)")

    assert Payment.objects.get(pk=payment.pk).failure_message == "Carte refusée (démo)"
    checkout.refresh_from_db()
    assert checkout.state == Checkout.State.OPEN
    assert not checkout.reservations.exists()


def test_demo_refunds_succeed_at_once(checkout):
    payment = payment_start(checkout=checkout)
    payment_succeeded(payment=payment)
    order = Order.objects.filter(checkout=checkout).first()

    refund = payment_refund(payment=payment, order=order, amount_cents=500, key="r-1")

    assert refund.state == Refund.State.SUCCEEDED
    assert refund.external_id.startswith("demo_re_")

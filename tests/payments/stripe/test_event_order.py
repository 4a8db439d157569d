"""Stripe events in any order, lost, or after a crash: the charge, the orders and the
ledger still agree. Against localstripe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import outbox_sweep
from payments.ledger import checkout_balance
from payments.models import Payment, Refund, WebhookEvent
from payments.recovery import payments_recover
from shop.models import Checkout, LedgerEntry, Order

from .test_stripe import deliver, event_payload, open_payment_page, shopper_pays

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def _send(payload, **kwargs):
        return deliver(client, payload, callbacks=django_capture_on_commit_callbacks, **kwargs)

    return _send


def _charge_id(intent) -> str:
    charge = intent.latest_charge
    return charge if isinstance(charge, str) else charge.id


def test_charge_refunded_before_succeeded_cancels_every_order(stripe_shop, stripe_api, send):
    # Given a payment Stripe took and then refunded in full from its dashboard…
    payment = open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, payment)
    stripe_api.v1.refunds.create(params={"charge": _charge_id(intent)})
    charge = stripe_api.v1.charges.retrieve(_charge_id(intent))

    # …when `charge.refunded` arrives before `payment_intent.succeeded`
    send(event_payload("charge.refunded", charge))
    send(event_payload("payment_intent.succeeded", intent))

    # Then the checkout is completed and every cent is booked back: nothing is left to
    # hand over or to transfer
    checkout = Checkout.objects.get(pk=stripe_shop.checkout.pk)
    assert checkout.state == Checkout.State.PAID
    assert {order.state for order in Order.objects.filter(checkout=checkout)} == {
        Order.State.REFUNDED}
    assert Payment.objects.get(pk=payment.pk).state == Payment.State.REFUNDED
    refund = Refund.objects.get(payment=payment)
    assert (refund.reason, refund.amount_cents) == (Refund.Reason.EXTERNAL, 8200)
    balance = checkout_balance(checkout=checkout)
    assert balance.balanced and balance.ledger_cents == 0
    assert not WebhookEvent.objects.filter(processed_at__isnull=True).exists()


def test_a_lost_webhook_is_made_up_by_the_recovery_task(stripe_shop, stripe_api):
    # Given a payment Stripe took, whose webhook never came
    payment = open_payment_page(stripe_shop)
    shopper_pays(stripe_api, payment)

    # When the periodic recovery runs a few minutes later
    statuses = payments_recover(now=timezone.now() + timedelta(minutes=3))

    # Then the checkout is completed, once
    assert statuses == {"succeeded": 1}
    checkout = Checkout.objects.get(pk=stripe_shop.checkout.pk)
    assert checkout.state == Checkout.State.PAID
    assert Order.objects.filter(checkout=checkout).count() == 2
    assert checkout_balance(checkout=checkout).balanced
    assert payments_recover(now=timezone.now() + timedelta(minutes=4)) == {}


def test_a_webhook_whose_worker_crashed_is_processed_by_the_sweep(
    stripe_shop, stripe_api, client
):
    # Given a stored event whose task never ran (the worker died, the broker was down):
    # the webhook's on-commit dispatch is not run here
    payment = open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, payment)
    deliver(client, event_payload("payment_intent.succeeded", intent),
            callbacks=_no_callbacks)
    assert OutboxMessage.objects.filter(done_at__isnull=True).count() == 1

    # When the sweep runs
    outbox_sweep()

    # Then the checkout is completed and nothing is left to do but what it queued
    checkout = Checkout.objects.get(pk=stripe_shop.checkout.pk)
    assert checkout.state == Checkout.State.PAID
    assert WebhookEvent.objects.get().processed_at is not None
    outbox_sweep()
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()
    assert checkout.confirmation_sent_at is None
    assert Checkout.objects.get(pk=checkout.pk).confirmation_sent_at is not None


def test_a_stale_intent_confirmed_after_a_new_review_is_refunded(
    stripe_shop, stripe_api, send
):
    from shop.checkout.services import checkout_reserve

    first = open_payment_page(stripe_shop)
    checkout_reserve(checkout=Checkout.objects.get(pk=stripe_shop.checkout.pk))
    open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, first)

    send(event_payload("payment_intent.succeeded", intent))

    checkout = Checkout.objects.get(pk=stripe_shop.checkout.pk)
    assert checkout.state == Checkout.State.RESERVED
    assert not LedgerEntry.objects.filter(checkout=checkout).exists()
    refund = Refund.objects.get(payment=first)
    assert refund.reason == Refund.Reason.MISMATCH
    assert refund.external_id.startswith("re_")


class _NoCallbacks:
    def __call__(self, execute=False):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


_no_callbacks = _NoCallbacks()


def test_the_payment_page_says_so_when_stripe_cannot_be_reached(stripe_shop, settings):
    # Given Stripe out of reach (a closed local port)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"

    response = stripe_shop.client.get(stripe_shop.pay_url)

    # Then the shopper gets a clear page, nothing is charged and the basket is kept
    assert response.status_code == 503
    assert "Paiement momentanément indisponible" in response.content.decode()
    checkout = Checkout.objects.get(pk=stripe_shop.checkout.pk)
    assert checkout.state == Checkout.State.RESERVED
    assert not Payment.objects.filter(checkout=checkout).exclude(external_id="").exists()

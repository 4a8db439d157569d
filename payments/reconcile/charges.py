"""The checks on charges and refunds: each paid checkout's charge and refunds against the
ledger and ours, payments charged without an order, our refunds never made."""

from collections.abc import Iterator

import stripe
from django.db.models import Q
from django.utils.translation import gettext_noop

from shop.models import Checkout, LedgerEntry
from shop.orders.ledger import ledger_by_kind

from ..models import Payment, Refund
from ..recovery import RECOVER_AFTER
from .mismatch import MISSING, OVERDUE_AFTER, PRESENT, Mismatch, mismatch, since_filter
from .transfers import transfers_made

STRIPE_REFUND_LOST = ("failed", "canceled")


def _charge(client, intent: dict) -> dict | None:
    """The PaymentIntent's latest charge, fetched unless Stripe expanded it."""
    charge = intent.get("latest_charge")
    if isinstance(charge, str):
        charge = client.v1.charges.retrieve(charge).to_dict()
    return charge


def paid_checkout(checkout: Checkout, client) -> Iterator[Mismatch]:
    """The charge against the ledger, its refunds against ours, each transfer made
    against our row and the ledger."""
    ref = checkout.reference
    payment = Payment.objects.filter(
        checkout=checkout, gateway="stripe", external_id=checkout.payment_reference,
    ).first()
    if payment is None:
        yield mismatch(ref, gettext_noop("payment"), MISSING,
                       checkout.payment_reference or "?")
        return
    try:
        charge = _charge(client, client.v1.payment_intents.retrieve(payment.external_id)
                         .to_dict())
    except stripe.StripeError as error:
        yield mismatch(ref, gettext_noop("payment intent %(id)s"), PRESENT, f"error ({error})",
                       id=payment.external_id)
        return
    ledger = ledger_by_kind(checkout)
    charged = charge["amount"] if charge else 0
    if sum(ledger.values()) != charged:
        yield mismatch(ref, gettext_noop("amount charged"), sum(ledger.values()), charged)
    refunded = ledger.get(LedgerEntry.Kind.REFUND, 0)
    if charge and refunded != charge["amount_refunded"]:
        yield mismatch(ref, gettext_noop("amount refunded"), refunded,
                       charge["amount_refunded"])
    if charge and charge["amount_refunded"]:
        yield from _stripe_refunds_unknown(ref, payment, charge["id"], client)
    yield from transfers_made(checkout, client)


def _stripe_refunds_unknown(ref: str, payment: Payment, charge_id: str, client
                            ) -> Iterator[Mismatch]:
    """Refunds Stripe made on the charge that we hold no trace of (made in its dashboard
    while the `charge.refunded` webhook was lost)."""
    ours = set(payment.refunds.exclude(external_id="").values_list("external_id", flat=True))
    try:
        remote = client.v1.refunds.list(params={"charge": charge_id, "limit": 100})
    except stripe.StripeError as error:
        yield mismatch(ref, gettext_noop("refunds of %(id)s"), PRESENT, f"error ({error})",
                       id=charge_id)
        return
    for item in remote.auto_paging_iter():
        if item["id"] in ours or item["status"] in STRIPE_REFUND_LOST:
            continue
        yield mismatch(ref, gettext_noop("refund %(id)s of %(amount)s cents (%(status)s)"),
                       MISSING, PRESENT, id=item["id"], amount=item["amount"],
                       status=item["status"])


def charged_without_order(*, since, now, client) -> Iterator[Mismatch]:
    """Payments we do not count as paid (replaced, failed, never confirmed to us) whose
    PaymentIntent Stripe charged and did not refund in full: the shopper paid for
    nothing. Younger ones are left to the webhook and `payments_recover`."""
    payments = Payment.objects.filter(
        gateway="stripe", state__in=Payment.UNSETTLED, created_at__lte=now - RECOVER_AFTER,
    ).exclude(external_id="").select_related("checkout")
    for payment in since_filter(payments, "created_at", since).order_by("pk").iterator(
            chunk_size=200):
        ref = payment.checkout.reference
        try:
            intent = client.v1.payment_intents.retrieve(payment.external_id).to_dict()
            charge = _charge(client, intent) if intent.get("status") == "succeeded" else None
        except stripe.StripeError as error:
            yield mismatch(ref, gettext_noop("payment intent %(id)s"), PRESENT,
                           f"error ({error})", id=payment.external_id)
            continue
        if charge is None or charge["amount_refunded"] >= charge["amount"]:
            continue
        yield mismatch(ref, gettext_noop("payment %(id)s charged without an order"),
                       payment.state, intent["status"], id=payment.external_id)


def refunds_not_made(*, since, now, client) -> Iterator[Mismatch]:
    """Our refunds still not made at the gateway an hour on, and those it refused: the
    shopper is owed them."""
    refunds = Refund.objects.filter(
        Q(state=Refund.State.PENDING, external_id="", created_at__lte=now - OVERDUE_AFTER)
        | Q(state=Refund.State.FAILED)
    ).select_related("payment__checkout")
    for refund in since_filter(refunds, "created_at", since).order_by("pk").iterator(
            chunk_size=200):
        ref = refund.payment.checkout.reference
        if refund.state == Refund.State.FAILED:
            yield mismatch(ref, gettext_noop("refund #%(id)s of %(amount)s cents "
                                             "(%(reason)s)"),
                           gettext_noop("failed"), refund.external_id or MISSING,
                           id=refund.pk, amount=refund.amount_cents,
                           reason=refund.failure_message or "?")
        else:
            yield mismatch(ref, gettext_noop("refund #%(id)s of %(amount)s cents"),
                           gettext_noop("pending"), MISSING, id=refund.pk,
                           amount=refund.amount_cents)

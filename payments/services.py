"""Payments drive the shop: a succeeded payment completes the checkout, a failed one frees
its reservations. Every write locks the checkout first (`shop.locking`), so a double
click, a retried request or a duplicate webhook finds the work already done.

No call to the gateway is made while the checkout is locked: a PaymentIntent is opened
after the payment row is committed (with an idempotency key from that row), refunds and
cancellations are recorded with their idempotency key and made by the outbox once
committed. A crash in between replays the same request, never a second one.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from markets.models import MarketStatus
from outbox.services import outbox_add
from shop.checkout.services import checkout_hold, checkout_release, checkout_reserve
from shop.locking import lock_checkout
from shop.models import Checkout
from shop.orders.completion import AmountMismatch, CompletionResult, checkout_complete

from .gateways import get_gateway
from .ledger import checkout_assert_balanced
from .models import Payment, Refund
from .refunds import payment_refund, payment_refundable_cents
from .transfers import transfers_schedule


class PaymentError(ValueError):
    """A payment action that cannot be done; the message is for the person who asked."""


class PrecheckRefusal(str):
    """Why the card must not be charged, for the shopper. `slot_unavailable` when the
    pick-up slot filled up or was deleted: the shopper then chooses another one rather
    than fixing the basket."""

    slot_unavailable = False


def _slot_refusal(message: str) -> PrecheckRefusal:
    refusal = PrecheckRefusal(message)
    refusal.slot_unavailable = True
    return refusal


def payment_start(*, checkout: Checkout) -> Payment:
    """The payment the shopper is asked to make for what the checkout froze last: the one
    already opened for it, else a new one. Payments opened for an earlier revision of the
    basket are cancelled, so that they can no longer be confirmed. Raises `PaymentError`
    when the checkout is already paid or not reserved."""
    with transaction.atomic():
        checkout = lock_checkout(checkout.pk)
        if checkout.state == Checkout.State.PAID:
            raise PaymentError(_("This basket has already been paid."))
        if checkout.state != Checkout.State.RESERVED or not checkout.total_cents:
            raise PaymentError(_("This payment is no longer open. Check your basket and "
                                 "try again."))
        gateway = get_gateway()
        payment = (
            Payment.objects.filter(
                checkout=checkout, gateway=gateway.name, state=Payment.State.CREATED,
                checkout_revision=checkout.revision, amount_cents=checkout.total_cents,
            ).order_by("-pk").first()
        ) or Payment.objects.create(
            checkout=checkout, gateway=gateway.name, amount_cents=checkout.total_cents,
            checkout_revision=checkout.revision,
        )
        _supersede(checkout=checkout, current=payment)
    if not payment.external_id:
        external_id = gateway.open(payment=payment)
        Payment.objects.filter(pk=payment.pk, external_id="").update(external_id=external_id)
        payment.refresh_from_db()
    return payment


def closing_grace() -> timedelta:
    """How long after closing a payment started before closing may still be made."""
    return timedelta(minutes=getattr(settings, "MARKET_CLOSING_GRACE_MINUTES", 30))


def payment_precheck(*, checkout: Checkout, now=None) -> str:
    """Just before the card is charged: why it must not be ("" when it may). The market
    must be open, or closed for less than the grace period with the payment started
    before closing; the units are held again if the reservation expired and they are
    still there. When a reason is returned nothing is charged and the units the checkout
    still holds go back on sale."""
    refusal = _precheck_refusal(checkout=checkout, now=now or timezone.now())
    if refusal:
        checkout_release(checkout=checkout)
    return refusal


def _precheck_refusal(*, checkout: Checkout, now) -> str:
    market = checkout.market
    status = market.status_at(now)
    if status != MarketStatus.OPEN and not (
        status == MarketStatus.CLOSED and now < market.closes_at + closing_grace()
        and checkout.payments.filter(checkout_revision=checkout.revision,
                                     created_at__lt=market.closes_at).exists()
    ):
        if status == MarketStatus.PAUSED:
            return _("Sales are paused in this market for a moment: nothing was charged. "
                     "Please try again later.")
        return _("This market is closed: nothing was charged.")
    held = checkout_hold(checkout=checkout, now=now)
    if held.slot_full:
        return _slot_refusal(_(
            "Your reservation has expired and the pick-up slot you chose is now full. "
            "Nothing was charged; choose another slot and try again."))
    if held.slot_gone:
        return _slot_refusal(_(
            "Your reservation has expired and the pick-up slot you chose is no longer "
            "offered. Nothing was charged; choose another slot and try again."))
    if held.unavailable:
        titles = ", ".join(f"« {item.product.title} »" for item in held.unavailable)
        return _("Your reservation has expired and these items went to other shoppers: "
                 "%(titles)s. Nothing was charged; check your basket and try again.") % {
            "titles": titles}
    return ""


def _supersede(*, checkout: Checkout, current: Payment) -> None:
    """Cancel the payments opened for an earlier revision (or amount) of the checkout."""
    older = checkout.payments.exclude(pk=current.pk).filter(
        state__in=(Payment.State.CREATED, Payment.State.FAILED)
    )
    for payment in older.order_by("pk"):
        if payment.state == Payment.State.CREATED:
            Payment.objects.filter(pk=payment.pk).update(state=Payment.State.CANCELLED)
        if payment.external_id and get_gateway(payment.gateway).cancels_remotely:
            outbox_add(task="payments.tasks.cancel_payment", args=[payment.pk],
                       key=f"payment-cancel-{payment.pk}")


def _refusal(*, checkout: Checkout, payment: Payment) -> tuple[str, str]:
    """(refund reason, message) when `payment` must not complete `checkout`."""
    if (payment.checkout_revision != checkout.revision
            or payment.amount_cents != checkout.total_cents):
        return Refund.Reason.MISMATCH, _(
            "This payment was for an earlier version of your basket: it has been refunded "
            "in full. Please pay again for your basket as it is now."
        )
    closes_at = checkout.market.closes_at
    if payment.created_at >= closes_at:
        return Refund.Reason.CLOSED, _(
            "The market had closed when this payment was made: it has been refunded in full."
        )
    # The payment page checks the grace period just before the card is confirmed, but a
    # card confirmed at Stripe long after that check (3-D Secure left open) still charges.
    # Counted from when we learn of the charge (webhook, return page or recovery job).
    if timezone.now() >= closes_at + closing_grace():
        return Refund.Reason.CLOSED, _(
            "The market had closed more than %(minutes)s minutes before this payment was "
            "completed: it has been refunded in full."
        ) % {"minutes": int(closing_grace().total_seconds() // 60)}
    return "", ""


@transaction.atomic
def payment_succeeded(*, payment: Payment) -> CompletionResult:
    """The gateway took the money: complete the checkout and refund at once every vendor
    order whose units were gone. A charge that cannot complete the checkout (a second one
    for a checkout already paid, one for an earlier version of the basket, one started
    after the market closed or completed after its grace period) is refunded in full."""
    checkout = lock_checkout(payment.checkout_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.state in Payment.UNSETTLED:
        payment.state = Payment.State.SUCCEEDED
        payment.failure_message = ""
        payment.save(update_fields=["state", "failure_message", "updated_at"])
    if checkout.state == Checkout.State.PAID:
        orders = list(checkout.orders.order_by("pk"))
        if not payment_is_paying(checkout=checkout, payment=payment):
            _refund_whole(payment=payment, reason=Refund.Reason.DUPLICATE,
                          message=_("Your basket had already been paid: this second payment "
                                    "has been refunded in full."))
        elif payment.gateway == "stripe":
            transfers_schedule(checkout=checkout)  # planned once: a replay changes nothing
        return CompletionResult(orders=orders, already_completed=True)
    reason, message = _refusal(checkout=checkout, payment=payment)
    if reason:
        _refund_whole(payment=payment, reason=reason, message=message)
        return CompletionResult(orders=[], refused=reason)
    try:
        result = checkout_complete(checkout=checkout, payment_reference=payment.external_id,
                                   gateway=payment.gateway, amount_cents=payment.amount_cents)
    except AmountMismatch:
        _refund_whole(payment=payment, reason=Refund.Reason.MISMATCH, message=_(
            "This payment did not match your basket: it has been refunded in full."))
        return CompletionResult(orders=[], refused=Refund.Reason.MISMATCH)
    for order in result.refunds_due:
        payment_refund(payment=payment, order=order, amount_cents=order.gross_cents,
                       reason=Refund.Reason.UNAVAILABLE, key=f"refund-unavailable-{order.pk}")
    if payment.gateway == "stripe":
        transfers_schedule(checkout=checkout)
    checkout_assert_balanced(checkout=checkout)
    return result


def _refund_whole(*, payment: Payment, reason: str, message: str) -> None:
    payment.failure_message = message[:255]
    payment.save(update_fields=["failure_message", "updated_at"])
    left = payment_refundable_cents(payment)
    if left > 0:
        payment_refund(payment=payment, order=None, amount_cents=left, reason=reason,
                       key=f"refund-{reason}-{payment.pk}")


@transaction.atomic
def payment_failed(*, payment: Payment, message: str) -> Payment:
    """The gateway declined the payment: record why and give the units back."""
    checkout = lock_checkout(payment.checkout_id)
    payment = Payment.objects.get(pk=payment.pk)
    if payment.state != Payment.State.CREATED:
        return payment
    payment.state = Payment.State.FAILED
    payment.failure_message = message[:255]
    payment.save(update_fields=["state", "failure_message", "updated_at"])
    if payment.checkout_revision == checkout.revision:
        checkout_release(checkout=checkout)
    return payment


def payment_retry(*, checkout: Checkout) -> bool:
    """After a declined card: hold the basket again for another try, for the amount the
    shopper agreed to. Returns False, holding nothing, when the basket can no longer be
    held as it was (an item gone, the pick-up slot full, a price changed): the shopper
    then reviews it again before paying."""
    if checkout.state == Checkout.State.RESERVED:
        return True
    if checkout.state != Checkout.State.OPEN:
        return False
    agreed_cents = checkout.total_cents
    result = checkout_reserve(checkout=checkout)
    checkout.refresh_from_db()
    if result.ok and checkout.total_cents == agreed_cents:
        return True
    checkout_release(checkout=checkout)
    return False


def payment_is_paying(*, checkout: Checkout, payment: Payment) -> bool:
    """Whether `payment` is the one that paid `checkout` (not a duplicate or stale one)."""
    return (checkout.state == Checkout.State.PAID
            and (checkout.payment_reference, checkout.gateway) == (payment.external_id,
                                                                  payment.gateway))

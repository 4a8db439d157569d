"""Payments drive the shop: a succeeded payment completes the checkout, a failed one frees
its reservations. Every write locks the checkout first (`shop.locking`), so a double
click, a retried request or a duplicate webhook finds the work already done."""

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from shop.locking import lock_checkout
from shop.models import Checkout, Order
from shop.services_checkout import CompletionResult, checkout_complete, checkout_release
from shop.services_orders import order_lines_cancel, order_refund_preview

from .gateways import get_gateway
from .models import Payment, Refund
from .transfers import transfers_schedule


@transaction.atomic
def payment_start(*, checkout: Checkout) -> Payment:
    """The payment the shopper is asked to make for `checkout`: the one already created
    for the same amount, else a new one."""
    checkout = lock_checkout(checkout.pk)
    gateway = get_gateway()
    payment = (
        Payment.objects.filter(
            checkout=checkout, gateway=gateway.name, state=Payment.State.CREATED,
            amount_cents=checkout.total_cents,
        )
        .order_by("-pk")
        .first()
    )
    return payment or gateway.start(checkout=checkout)


@transaction.atomic
def payment_succeeded(*, payment: Payment) -> CompletionResult:
    """The gateway took the money: complete the checkout and refund at once every vendor
    order whose units were gone. A second charge for a checkout already paid by another
    payment is refunded in full."""
    checkout = lock_checkout(payment.checkout_id)
    payment = Payment.objects.get(pk=payment.pk)
    if payment.state in (Payment.State.CREATED, Payment.State.FAILED):
        payment.state = Payment.State.SUCCEEDED
        payment.failure_message = ""
        payment.save(update_fields=["state", "failure_message", "updated_at"])
    paid_by_other = (
        checkout.state == Checkout.State.PAID
        and checkout.payment_reference
        and (checkout.payment_reference, checkout.gateway) != (payment.external_id, payment.gateway)
    )
    result = checkout_complete(
        checkout=checkout, payment_reference=payment.external_id, gateway=payment.gateway
    )
    if paid_by_other:
        if not payment.refunds.filter(reason=Refund.Reason.DUPLICATE).exists():
            payment_refund(payment=payment, order=None, amount_cents=payment.amount_cents,
                           reason=Refund.Reason.DUPLICATE)
        return result
    for order in result.refunds_due:
        if not order.refunds.filter(reason=Refund.Reason.UNAVAILABLE).exists():
            payment_refund(payment=payment, order=order, amount_cents=order.gross_cents,
                           reason=Refund.Reason.UNAVAILABLE)
    if payment.gateway == "stripe":
        transfers_schedule(checkout=checkout)
    return result


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
    checkout_release(checkout=checkout)
    return payment


@transaction.atomic
def payment_refund(
    *, payment: Payment, order: Order | None, amount_cents: int,
    reason: str = Refund.Reason.CANCELLED,
) -> Refund:
    """Give `amount_cents` back through the payment's gateway and update its state."""
    refunded = payment.refunds.exclude(state=Refund.State.FAILED).aggregate(
        total=Sum("amount_cents")
    )["total"] or 0
    if amount_cents < 1 or refunded + amount_cents > payment.amount_cents:
        raise ValueError(
            f"cannot refund {amount_cents} on payment {payment.pk}: "
            f"{refunded} of {payment.amount_cents} already refunded"
        )
    refund = get_gateway(payment.gateway).refund(
        payment=payment, order=order, amount_cents=amount_cents, reason=reason
    )
    if refund.state != Refund.State.FAILED:
        refunded += amount_cents
    payment.state = (
        Payment.State.REFUNDED if refunded >= payment.amount_cents
        else Payment.State.PARTIALLY_REFUNDED if refunded else payment.state
    )
    payment.save(update_fields=["state", "updated_at"])
    return refund


class PaymentError(ValueError):
    """A payment action that cannot be done; the message is for the person who asked."""


def checkout_payment(*, checkout: Checkout) -> Payment | None:
    """The payment that paid `checkout`."""
    if not checkout.payment_reference:
        return None
    return Payment.objects.filter(
        checkout=checkout, gateway=checkout.gateway, external_id=checkout.payment_reference
    ).first()


@transaction.atomic
def order_lines_cancel_and_refund(*, order: Order, quantities: dict[int, int]) -> int:
    """A vendor cancels units of a paid order: refund them through the gateway, then book
    the cancellation in the shop. Returns the cents refunded. Raises
    `shop.services_orders.OrderActionError` or `PaymentError` before any money moves."""
    checkout = lock_checkout(order.checkout_id)
    amount_cents = order_refund_preview(order=order, quantities=quantities)
    if amount_cents:
        payment = checkout_payment(checkout=checkout)
        if payment is None:
            raise PaymentError(_("No payment was found for this order: nothing was refunded."))
        payment_refund(payment=payment, order=order, amount_cents=amount_cents,
                       reason=Refund.Reason.CANCELLED)
    return order_lines_cancel(order=order, quantities=quantities)

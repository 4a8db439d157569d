"""Money going back to shoppers: refunds recorded once per key and made by the gateway
after commit, and the vendor's cancellation of units with its refund."""

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from outbox.services import outbox_add
from shop.locking import lock_checkout
from shop.models import Checkout, Order
from shop.money import format_cents
from shop.orders.services import OrderActionError, order_lines_cancel, order_refund_preview

from .gateways import get_gateway
from .ledger import checkout_assert_balanced
from .models import Payment, Refund
from .transfers import transfers_adjust_after_refund


class PaymentNotFound(OrderActionError):
    """An order whose checkout has no payment left to refund from."""


def payment_refunded_cents(payment: Payment) -> int:
    """What was decided to go back on `payment`: made, still to make, or refused by the
    gateway (still owed: retried from the back office, never decided twice)."""
    return payment.refunds.aggregate(
        total=Sum("amount_cents", default=0))["total"]


def payment_refundable_cents(payment: Payment) -> int:
    """What can still go back on `payment`."""
    return payment.amount_cents - payment_refunded_cents(payment)


@transaction.atomic
def payment_refund(
    *, payment: Payment, order: Order | None, amount_cents: int, key: str,
    reason: str = Refund.Reason.CANCELLED,
) -> Refund:
    """Record that `amount_cents` of `payment` go back to the shopper, once per `key`
    (built from our ids by the caller), and have the gateway make it after commit."""
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    refunded = payment_refunded_cents(payment)
    if amount_cents < 1 or refunded + amount_cents > payment.amount_cents:
        raise ValueError(
            f"cannot refund {amount_cents} on payment {payment.pk}: "
            f"{refunded} of {payment.amount_cents} already refunded"
        )
    refund = Refund.objects.create(payment=payment, order=order, reason=reason,
                                   amount_cents=amount_cents, idempotency_key=key)
    payment_set_refund_state(payment=payment, refunded=refunded + amount_cents)
    gateway = get_gateway(payment.gateway)
    if gateway.refunds_remotely:
        outbox_add(task="payments.tasks.execute_refund", args=[refund.pk],
                   key=f"refund-execute-{refund.pk}")
    else:
        gateway.execute_refund(refund=refund)
    return refund


def payment_set_refund_state(*, payment: Payment, refunded: int) -> None:
    """Refunded or partially refunded, from the `refunded` cents of a payment that
    charged the shopper."""
    if payment.state not in Payment.CHARGED or not refunded:
        return
    payment.state = (Payment.State.REFUNDED if refunded >= payment.amount_cents
                     else Payment.State.PARTIALLY_REFUNDED)
    payment.save(update_fields=["state", "updated_at"])


def refund_execute(*, refund_pk: int) -> Refund:
    """Make a recorded refund at the gateway, with its own idempotency key: a second run
    (a retry, a crash after the call) asks for the same refund and changes nothing."""
    with transaction.atomic():
        refund = (Refund.objects.select_for_update(of=("self",)).select_related("payment")
                  .get(pk=refund_pk))
        if refund.external_id or refund.state != Refund.State.PENDING:
            return refund
        get_gateway(refund.payment.gateway).execute_refund(refund=refund)
        return refund


def checkout_payment(*, checkout: Checkout) -> Payment | None:
    """The payment that paid `checkout`."""
    if not checkout.payment_reference:
        return None
    return Payment.objects.filter(
        checkout=checkout, gateway=checkout.gateway, external_id=checkout.payment_reference
    ).first()


class NotEnoughLeftToRefund(OrderActionError):
    """Part of the payment went back outside the platform (from the Stripe dashboard):
    what is left on it does not cover the units being cancelled."""


def _check_refundable(*, payment: Payment, amount_cents: int) -> None:
    left = payment_refundable_cents(payment)
    if amount_cents > left:
        raise NotEnoughLeftToRefund(_(
            "Only %(left)s of this payment can still be refunded (the rest was refunded "
            "from the Stripe dashboard), and these units are worth %(amount)s: nothing "
            "was cancelled."
        ) % {"left": format_cents(left, get_language() or "fr"),
             "amount": format_cents(amount_cents, get_language() or "fr")})


@transaction.atomic
def order_lines_cancel_and_refund(*, order: Order, quantities: dict[int, int]) -> int:
    """A vendor cancels units of a paid order: record the refund (made by the gateway once
    committed), then book the cancellation in the shop. Returns the cents refunded.
    Raises `shop.orders.services.OrderActionError` before anything is recorded."""
    checkout = lock_checkout(order.checkout_id)
    order = Order.objects.get(pk=order.pk)
    amount_cents = order_refund_preview(order=order, quantities=quantities)
    if amount_cents:
        payment = checkout_payment(checkout=checkout)
        if payment is None:
            raise PaymentNotFound(_("No payment was found for this order: nothing was refunded."))
        _check_refundable(payment=payment, amount_cents=amount_cents)
        payment_refund(payment=payment, order=order, amount_cents=amount_cents,
                       reason=Refund.Reason.CANCELLED,
                       key=f"refund-cancel-{order.pk}-{order.refunded_cents}")
    refunded = order_lines_cancel(order=order, quantities=quantities)
    if checkout.gateway == "stripe":
        transfers_adjust_after_refund(order=order, amount_cents=refunded)
    checkout_assert_balanced(checkout=checkout)
    return refunded


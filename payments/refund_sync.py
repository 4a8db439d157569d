"""Refunds the payment provider made or knows of: matched to ours, or recorded and booked
when they were made elsewhere (Stripe's dashboard), so that charged − refunded still
equals the ledger."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from shop.locking import lock_checkout
from shop.models import Checkout, Order
from shop.orders.ledger import checkout_donation_cents
from shop.orders.refunds import checkout_donation_refund, checkout_unallocated_refund
from shop.orders.services import order_can_become, order_lines_cancel

from .ledger import checkout_assert_balanced
from .models import Payment, Refund
from .refunds import payment_refunded_cents, payment_set_refund_state
from .services import payment_is_paying
from .transfers import transfers_adjust_after_refund


@dataclass(frozen=True)
class RemoteRefund:
    id: str
    amount_cents: int
    state: str
    our_id: str = ""


def _match(payment: Payment, remote: RemoteRefund) -> Refund | None:
    """Our refund for this remote one: by its id, by the id we sent in its metadata, or
    one of ours not made yet for the same amount (the provider made it first)."""
    known = Q(external_id=remote.id)
    if remote.our_id.isdigit():
        known |= Q(pk=int(remote.our_id))
    refund = payment.refunds.filter(known).first()
    if refund is None:
        refund = payment.refunds.filter(
            external_id="", state=Refund.State.PENDING, amount_cents=remote.amount_cents,
        ).order_by("pk").first()
    return refund


@transaction.atomic
def payment_refunds_sync(*, payment: Payment, remote: list[RemoteRefund]) -> int:
    """Bring our refunds of `payment` in line with the provider's. Returns the cents of
    refunds made elsewhere and booked now."""
    checkout = lock_checkout(payment.checkout_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    booked = 0
    for item in remote:
        refund = _match(payment, item)
        if refund is not None:
            Refund.objects.filter(pk=refund.pk).update(external_id=item.id, state=item.state)
            continue
        if item.state == Refund.State.FAILED:
            continue
        Refund.objects.create(
            payment=payment, reason=Refund.Reason.EXTERNAL, amount_cents=item.amount_cents,
            external_id=item.id, idempotency_key=f"refund-external-{item.id}", state=item.state,
        )
        if payment_is_paying(checkout=checkout, payment=payment):
            _book_external(checkout=checkout, amount_cents=item.amount_cents)
        booked += item.amount_cents
    payment_set_refund_state(payment=payment, refunded=payment_refunded_cents(payment))
    checkout_assert_balanced(checkout=checkout)
    return booked


def _refundable_orders(checkout: Checkout) -> list[Order]:
    """The checkout's orders that can still be cancelled, their lines prefetched."""
    return [order for order in checkout.orders.prefetch_related("lines").order_by("pk")
            if order_can_become(order, Order.State.REFUNDED)]


def _units_kept(order: Order) -> dict[int, int]:
    """{line id: units} the shopper still has of `order`."""
    kept = {line.pk: line.quantity - line.cancelled_quantity for line in order.lines.all()}
    return {pk: units for pk, units in kept.items() if units}


def _orders_cancel(orders: list[Order]) -> int:
    """Cancel every unit still kept of `orders` and take back what their beneficiaries no
    longer get. Returns the cents refunded."""
    refunded = 0
    for order in orders:
        quantities = _units_kept(order)
        if quantities:
            cents = order_lines_cancel(order=order, quantities=quantities)
            refunded += cents
            transfers_adjust_after_refund(order=order, amount_cents=cents)
    return refunded


def _book_external(*, checkout: Checkout, amount_cents: int) -> None:
    """A refund that covers everything still owed to the shopper cancels every order that
    can be (and the donation); any other is borne by the platform until allocated."""
    orders = _refundable_orders(checkout)
    cancellable = sum(order.gross_cents for order in orders)
    donation = checkout_donation_cents(checkout)
    if amount_cents < cancellable + donation or not cancellable + donation:
        checkout_unallocated_refund(checkout_id=checkout.pk, amount_cents=amount_cents,
                                    memo="refunded at the payment provider, to allocate")
        return
    checkout_donation_refund(checkout_id=checkout.pk)
    refunded = donation + _orders_cancel(orders)
    if amount_cents > refunded:
        checkout_unallocated_refund(checkout_id=checkout.pk,
                                    amount_cents=amount_cents - refunded,
                                    memo="refunded at the payment provider, to allocate")

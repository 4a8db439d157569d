"""What happens to a vendor order after payment: preparation, hand-over, cancelled units.

    paid ──► ready ──► fulfilled
      │        │           │
      └────────┴───────────┴──► partially_refunded (some units cancelled) ──► ready / fulfilled
                                  └──► refunded (every unit cancelled)

An order already handed over can still be refunded (a parcel sent back within the
withdrawal period, or a goodwill return); it is never handed over a second time.

Lock order, as everywhere in the shop: the checkout row first, then product rows in
primary-key order (`shop.locking`). The money itself is refunded through the gateway by
the payments app before `order_lines_cancel` books it here.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from config.tasks import enqueue
from outbox.services import outbox_add
from shop.catalogue.models import Product
from shop.checkout.models import CheckoutFulfilment
from shop.locking import lock_checkout, lock_products
from shop.money import LineInput, OrderSplit, order_split
from shop.orders.ledger import order_booked, order_commission_organiser_id
from shop.orders.models import LedgerEntry, Order, OrderLine


class OrderActionError(ValueError):
    """An order action that cannot be done; the message is for the person who asked."""


class InvalidTransition(OrderActionError):
    def __init__(self, order: Order, target: str):
        self.order = order
        self.target = target
        super().__init__(
            _("Order %(number)s is « %(state)s »: it cannot become « %(target)s ».")
            % {"number": order.number, "state": order.get_state_display(),
               "target": Order.State(target).label}
        )


class InvalidQuantities(OrderActionError):
    pass


class TrackingNumberRequired(OrderActionError):
    pass


TRANSITIONS: dict[str, frozenset[str]] = {
    Order.State.READY: frozenset({Order.State.PAID, Order.State.PARTIALLY_REFUNDED}),
    Order.State.FULFILLED: frozenset(
        {Order.State.PAID, Order.State.READY, Order.State.PARTIALLY_REFUNDED}
    ),
    # Cancelling units: a partial cancellation leads to partially_refunded, a full one to
    # refunded; both start from the same states, a handed-over order included (returns).
    Order.State.PARTIALLY_REFUNDED: frozenset(
        {Order.State.PAID, Order.State.READY, Order.State.FULFILLED,
         Order.State.PARTIALLY_REFUNDED}
    ),
    Order.State.REFUNDED: frozenset(
        {Order.State.PAID, Order.State.READY, Order.State.FULFILLED,
         Order.State.PARTIALLY_REFUNDED}
    ),
}
HAND_OVER_STATES = frozenset({Order.State.READY, Order.State.FULFILLED})


def order_can_become(order: Order, target: str) -> bool:
    if target in HAND_OVER_STATES and order.fulfilled_at is not None:
        return False
    return order.state in TRANSITIONS.get(target, frozenset())


def _check_transition(order: Order, target: str) -> None:
    if not order_can_become(order, target):
        raise InvalidTransition(order, target)


def _lock_order(order: Order) -> Order:
    """Serialise with everything else that happens to the checkout, then re-read the
    order inside the lock."""
    lock_checkout(order.checkout_id)
    return Order.objects.select_related("checkout__market").get(pk=order.pk)


@transaction.atomic
def order_mark_ready(*, order: Order, now=None) -> Order:
    """The vendor has prepared the order: the shopper is told it can be collected."""
    order = _lock_order(order)
    _check_transition(order, Order.State.READY)
    order.state = Order.State.READY
    order.ready_at = now or timezone.now()
    order.save(update_fields=["state", "ready_at"])

    from shop import tasks

    order_id = order.pk
    transaction.on_commit(lambda: enqueue(tasks.send_order_ready_email, order_id))
    return order


@transaction.atomic
def order_mark_fulfilled(*, order: Order, tracking_number: str = "", carrier: str = "",
                         now=None) -> Order:
    """Handed over at the pick-up point, or shipped (with its tracking number and carrier:
    the shopper is sent the tracking link, once)."""
    order = _lock_order(order)
    _check_transition(order, Order.State.FULFILLED)
    tracking_number = tracking_number.strip()
    shipped = order.fulfilment_method == CheckoutFulfilment.Method.SHIPPING
    if shipped and not tracking_number:
        raise TrackingNumberRequired(
            _("Give the tracking number of the parcel to mark order %(number)s as shipped.")
            % {"number": order.number}
        )
    order.state = Order.State.FULFILLED
    order.fulfilled_at = now or timezone.now()
    order.tracking_number = tracking_number
    order.carrier = carrier if shipped else ""
    order.save(update_fields=["state", "fulfilled_at", "tracking_number", "carrier"])
    if shipped:
        outbox_add(task="shop.tasks.send_order_shipped_email", args=[order.pk],
                   key=f"order-shipped-{order.pk}")
    return order


@dataclass(frozen=True)
class Cancellation:
    """What cancelling some units does to an order's amounts."""

    lines: list[OrderLine]
    cancelled: dict[int, int]
    split: OrderSplit
    refund_cents: int
    everything_cancelled: bool


def cancellation_compute(order: Order, quantities: dict[int, int]) -> Cancellation:
    lines = list(order.lines.all())
    by_id = {line.pk: line for line in lines}
    cancelled: dict[int, int] = {}
    for line_id, quantity in quantities.items():
        line = by_id.get(int(line_id))
        if line is None:
            raise InvalidQuantities(
                _("Line %(line)s is not part of order %(number)s.")
                % {"line": line_id, "number": order.number}
            )
        quantity = int(quantity)
        remaining = line.quantity - line.cancelled_quantity
        if quantity < 0 or quantity > remaining:
            raise InvalidQuantities(
                _("You can cancel between 0 and %(remaining)d unit(s) of « %(title)s ».")
                % {"remaining": remaining, "title": line.title}
            )
        if quantity:
            cancelled[line.pk] = quantity
    if not cancelled:
        raise InvalidQuantities(_("Choose at least one unit to cancel."))

    kept = [
        (line, line.quantity - line.cancelled_quantity - cancelled.get(line.pk, 0))
        for line in lines
    ]
    any_kept = any(quantity for _, quantity in kept)
    split = order_split(
        lines=[
            LineInput(line.unit_price_cents, quantity, line.solidarity_bps,
                      line.solidarity_project_id, line.solidarity_unit_cents)
            for line, quantity in kept
        ],
        # Shipping is refunded only with the last unit: the parcel still goes otherwise.
        shipping_cents=order.shipping_cents if any_kept else 0,
        commission_bps=order.commission_bps,
    )
    return Cancellation(lines=lines, cancelled=cancelled, split=split,
                        refund_cents=order.gross_cents - split.gross_cents,
                        everything_cancelled=not any_kept)


def order_refund_preview(*, order: Order, quantities: dict[int, int]) -> int:
    """Cents given back to the shopper if these units ({line id: units}) are cancelled."""
    order = Order.objects.select_related("checkout__market").get(pk=order.pk)
    if not order_can_become(order, Order.State.REFUNDED):
        raise InvalidTransition(order, Order.State.REFUNDED)
    return cancellation_compute(order, quantities).refund_cents


def _book_cancellation(*, order: Order, split: OrderSplit, refund_cents: int) -> None:
    """Move the cancelled part of the order's shares to one REFUND entry, so the checkout's
    entries still add up to the amount charged."""
    booked = order_booked(order)
    organiser_id = order_commission_organiser_id(order)
    target = {
        (LedgerEntry.Kind.VENDOR_NET, None): split.vendor_net_cents,
        (LedgerEntry.Kind.COMMISSION, None): split.commission_cents,
        **{(LedgerEntry.Kind.SOLIDARITY, project_id): amount
           for project_id, amount in split.solidarity_by_project.items()},
    }
    entries = []
    for key in sorted(set(booked) | set(target), key=lambda k: (k[0], k[1] or 0)):
        kind, project_id = key
        delta = target.get(key, 0) - booked.get(key, 0)
        if delta:
            entries.append(LedgerEntry(
                checkout_id=order.checkout_id, order=order, kind=kind, amount_cents=delta,
                vendor_id=order.vendor_id if kind == LedgerEntry.Kind.VENDOR_NET else None,
                organiser_id=organiser_id if kind == LedgerEntry.Kind.COMMISSION else None,
                project_id=project_id, memo="units cancelled",
            ))
    entries.append(LedgerEntry(
        checkout_id=order.checkout_id, order=order, kind=LedgerEntry.Kind.REFUND,
        amount_cents=refund_cents, vendor_id=order.vendor_id, memo="units cancelled",
    ))
    LedgerEntry.objects.bulk_create(entries)


@transaction.atomic
def order_lines_cancel(*, order: Order, quantities: dict[int, int]) -> int:
    """Cancel units of an order ({line id: units}) once the payments app has refunded them:
    restock, recompute the order's split on the units kept, book the difference and tell
    the shopper. Returns the cents refunded."""
    order = _lock_order(order)
    if not order_can_become(order, Order.State.REFUNDED):
        raise InvalidTransition(order, Order.State.REFUNDED)
    cancellation = cancellation_compute(order, quantities)
    lines_by_id = {line.pk: line for line in cancellation.lines}
    restock = {
        lines_by_id[line_id].product_id: quantity
        for line_id, quantity in cancellation.cancelled.items()
        if lines_by_id[line_id].product_id is not None
    }
    list(lock_products(restock))
    for product_id in sorted(restock):
        Product.objects.filter(pk=product_id).update(stock=F("stock") + restock[product_id])

    split = cancellation.split
    for line, solidarity in zip(cancellation.lines, split.line_solidarity_cents, strict=True):
        line.cancelled_quantity += cancellation.cancelled.get(line.pk, 0)
        line.solidarity_cents = solidarity
    OrderLine.objects.bulk_update(cancellation.lines, ["cancelled_quantity", "solidarity_cents"])

    _book_cancellation(order=order, split=split, refund_cents=cancellation.refund_cents)
    order.state = (
        Order.State.REFUNDED if cancellation.everything_cancelled
        else Order.State.PARTIALLY_REFUNDED
    )
    order.shipping_cents = split.shipping_cents
    order.gross_cents = split.gross_cents
    order.commission_cents = split.commission_cents
    order.solidarity_cents = split.solidarity_cents
    order.vendor_net_cents = split.vendor_net_cents
    order.refunded_cents += cancellation.refund_cents
    order.save(update_fields=[
        "state", "shipping_cents", "gross_cents", "commission_cents", "solidarity_cents",
        "vendor_net_cents", "refunded_cents",
    ])

    from shop import tasks

    order_id, amount = order.pk, cancellation.refund_cents
    transaction.on_commit(
        lambda: enqueue(tasks.send_order_refund_email, order_id, amount))
    return cancellation.refund_cents

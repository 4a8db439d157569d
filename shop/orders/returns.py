"""What cancelling units of an order will do, told to the vendor before it confirms: the
refund, the shares taken back, and where the order stands with the shopper's right of
withdrawal."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from shop.orders.models import Order
from shop.orders.services import InvalidTransition, cancellation_compute, order_can_become

# Code de la consommation, article L221-18: a consumer who bought at a distance from a
# professional seller may withdraw within 14 days of receiving the goods.
WITHDRAWAL_DAYS = 14


class Withdrawal:
    """Where a handed-over order stands with the right of withdrawal."""

    NOT_HANDED_OVER = "not_handed_over"
    WITHIN_PERIOD = "within_period"
    PERIOD_OVER = "period_over"
    NOT_PROFESSIONAL = "not_professional"


@dataclass(frozen=True)
class CancellationPreview:
    refund_cents: int
    vendor_net_back_cents: int
    commission_back_cents: int
    solidarity_back_cents: int
    shipping_back_cents: int
    units: int
    everything_cancelled: bool
    withdrawal: str
    withdrawal_ends_on: datetime | None


def order_withdrawal(order: Order, now=None) -> tuple[str, datetime | None]:
    """The order's situation, and the earliest end of its withdrawal period (counted from
    the hand-over: a shipped parcel reaches the shopper later, which only lengthens it)."""
    if order.fulfilled_at is None:
        return Withdrawal.NOT_HANDED_OVER, None
    ends_on = order.fulfilled_at + timedelta(days=WITHDRAWAL_DAYS)
    if not order.vendor.is_professional:
        return Withdrawal.NOT_PROFESSIONAL, None
    if (now or timezone.now()) <= ends_on:
        return Withdrawal.WITHIN_PERIOD, ends_on
    return Withdrawal.PERIOD_OVER, ends_on


def order_cancellation_preview(*, order: Order, quantities: dict[int, int],
                               now=None) -> CancellationPreview:
    """What cancelling these units ({line id: units}) would refund and take back, without
    changing anything. Raises `OrderActionError` as the cancellation itself would."""
    order = Order.objects.select_related("checkout__market", "vendor").get(pk=order.pk)
    if not order_can_become(order, Order.State.REFUNDED):
        raise InvalidTransition(order, Order.State.REFUNDED)
    cancellation = cancellation_compute(order, quantities)
    split = cancellation.split
    withdrawal, ends_on = order_withdrawal(order, now)
    return CancellationPreview(
        refund_cents=cancellation.refund_cents,
        vendor_net_back_cents=order.vendor_net_cents - split.vendor_net_cents,
        commission_back_cents=order.commission_cents - split.commission_cents,
        solidarity_back_cents=order.solidarity_cents - split.solidarity_cents,
        shipping_back_cents=order.shipping_cents - split.shipping_cents,
        units=sum(cancellation.cancelled.values()),
        everything_cancelled=cancellation.everything_cancelled,
        withdrawal=withdrawal,
        withdrawal_ends_on=ends_on,
    )

"""The receipt (« reçu ») of one vendor order: what the shopper paid that seller, the
seller's legal identity, the VAT the prices include or the mention of its exemption, the
refunds and the solidarity shares with their projects.

Every amount comes from the order as it was frozen and later changed by its own
cancellations, never from today's prices. The market's commission is shared between the
seller and the organiser; the shopper paid the seller's prices, so it stays off the receipt.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from shop.money import vat_by_rate
from shop.orders.models import Order, OrderLine

RECEIPT_SALT = "shop.order-receipt"


def receipt_token(order: Order) -> str:
    """The secret part of the receipt's address: the order signed, with no expiry (a
    receipt is kept for years), and never guessable from the order number."""
    return signing.Signer(salt=RECEIPT_SALT).sign_object(order.pk)


def order_id_from_receipt_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=RECEIPT_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def receipt_url(order: Order, *, download: bool = False, absolute: bool = False) -> str:
    name = "shop_orders:receipt_download" if download else "shop_orders:receipt"
    path = reverse(name, args=[receipt_token(order)])
    return settings.SITE_URL + path if absolute else path


def orders_for_receipt() -> QuerySet[Order]:
    """Orders with all their receipt shows, in two queries (the organiser in a third)."""
    lines = OrderLine.objects.select_related("solidarity_project").order_by("pk")
    return (
        Order.objects.exclude(state=Order.State.PENDING_PAYMENT)
        .select_related("vendor", "checkout__market")
        .prefetch_related(Prefetch("lines", queryset=lines))
    )


def was_sold(order: Order) -> bool:
    """An order whose units were gone when the payment came was refunded at once and never
    sold (completion keeps its amount and refunds all of it): it has no receipt."""
    refused = order.state == Order.State.REFUNDED and order.refunded_cents == order.gross_cents
    return order.state != Order.State.PENDING_PAYMENT and not refused


@dataclass(frozen=True)
class ReceiptLine:
    title: str
    quantity: int
    cancelled: int
    unit_price_cents: int

    @property
    def total_cents(self) -> int:
        return self.unit_price_cents * self.quantity


@dataclass(frozen=True)
class ReceiptAmount:
    """An amount with what it is for: a VAT rate, or a solidarity project."""

    cents: int
    rate_bps: int = 0
    project: str = ""
    beneficiary: str = ""


@dataclass
class OrderReceipt:
    order: Order
    lines: list[ReceiptLine]
    vat: list[ReceiptAmount] = field(default_factory=list)
    shares: list[ReceiptAmount] = field(default_factory=list)

    @property
    def paid_cents(self) -> int:
        """What the shopper paid the seller: cancellations lower the order's gross by
        what they refund."""
        return self.order.gross_cents + self.order.refunded_cents

    @property
    def shipping_paid_cents(self) -> int:
        """The shipping as paid (a full cancellation refunds it and sets the order's to 0)."""
        return self.paid_cents - sum(line.total_cents for line in self.lines)

    @property
    def kept_cents(self) -> int:
        """What the shopper paid for, refunds taken off."""
        return self.order.gross_cents

    @property
    def vat_applies(self) -> bool:
        return self.order.vat_rate_bps is not None

    @property
    def solidarity_cents(self) -> int:
        return sum(share.cents for share in self.shares)


def order_receipt(order: Order) -> OrderReceipt:
    """The receipt of `order` (from `orders_for_receipt`)."""
    lines = list(order.lines.all())
    receipt = OrderReceipt(order=order, lines=[
        ReceiptLine(line.title, line.quantity, line.cancelled_quantity, line.unit_price_cents)
        for line in lines
    ])
    if order.vat_rate_bps is not None:
        rate = order.vat_rate_bps
        kept = [((line.quantity - line.cancelled_quantity) * line.unit_price_cents, rate)
                for line in lines]
        by_rate = vat_by_rate([*kept, (order.shipping_cents, rate)])
        receipt.vat = [ReceiptAmount(cents, rate_bps=rate)
                       for rate, cents in sorted(by_rate.items(), reverse=True)]
    projects, totals = {}, {}
    for line in lines:
        if line.solidarity_project is not None and line.solidarity_cents:
            projects[line.solidarity_project_id] = line.solidarity_project
            totals[line.solidarity_project_id] = (totals.get(line.solidarity_project_id, 0)
                                                  + line.solidarity_cents)
    receipt.shares = [
        ReceiptAmount(cents, project=projects[pk].title, beneficiary=projects[pk].beneficiary)
        for pk, cents in totals.items()
    ]
    return receipt

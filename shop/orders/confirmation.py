"""What the confirmation page shows of a paid checkout, as it was booked: the vendor
orders with their lines and shipping, the solidarity share each one gives and to which
project, the shopper's donation, any payment fee and the total charged. Read from the
orders and the ledger, never from today's prices, in a fixed number of queries. Each
vendor order's own receipt (« reçu ») is `shop.orders.vendor_receipt`."""

from dataclasses import dataclass, field

from shop.checkout.models import Checkout
from shop.orders.ledger import checkout_shopper_shares
from shop.orders.models import LedgerEntry, Order
from shop.orders.selectors import orders_with_details, with_kept_units


@dataclass
class ProjectAmount:
    title: str
    cents: int


@dataclass
class ConfirmedOrder:
    order: Order
    shares: list[ProjectAmount] = field(default_factory=list)

    @property
    def lines(self) -> list:
        return list(self.order.lines.all())


@dataclass
class Confirmation:
    checkout: Checkout
    orders: list[ConfirmedOrder]
    donations: list[ProjectAmount]
    fees_cents: int

    @property
    def total_cents(self) -> int:
        return self.checkout.total_cents

    @property
    def solidarity_cents(self) -> int:
        return sum(share.cents for part in self.orders for share in part.shares)

    @property
    def refunded_cents(self) -> int:
        return sum(part.order.refunded_cents for part in self.orders)


def checkout_confirmation(checkout: Checkout) -> Confirmation:
    """A paid checkout as its confirmation page shows it, orders in the order numbered."""
    orders = with_kept_units(list(orders_with_details().filter(checkout=checkout).order_by("pk")))
    parts = {order.pk: ConfirmedOrder(order=order) for order in orders}
    donations, fees = [], 0
    for row in checkout_shopper_shares(checkout):
        if row["kind"] == LedgerEntry.Kind.PAYMENT_FEES:
            fees += row["total"]
        elif not row["total"]:
            continue
        elif row["kind"] == LedgerEntry.Kind.DONATION:
            donations.append(ProjectAmount(row["project__title"] or "", row["total"]))
        elif row["order_id"] in parts:
            parts[row["order_id"]].shares.append(
                ProjectAmount(row["project__title"] or "", row["total"]))
    return Confirmation(checkout=checkout, orders=list(parts.values()), donations=donations,
                        fees_cents=fees)

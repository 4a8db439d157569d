"""From a basket to paid vendor orders: reservations, completion and the ledger.

Lock order, everywhere: the checkout row first, then product rows in primary-key order
(`shop.locking`). Availability is always checked inside the lock.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .locking import lock_checkout, lock_products
from .models import (
    Checkout,
    CheckoutFulfilment,
    CheckoutLine,
    LedgerEntry,
    Order,
    OrderLine,
    Product,
    Reservation,
)
from .money import LineInput, order_split, round_up_donation
from .selectors import products_on_sale, share_project_id
from .selectors_cart import reserved_by_others


@dataclass
class Unavailable:
    """A basket line that could not be reserved, and how many units are left."""

    product: Product
    wanted: int
    available: int


@dataclass
class ReserveResult:
    unavailable: list[Unavailable] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unavailable


@dataclass
class CompletionResult:
    orders: list[Order]
    refunds_due: list[Order] = field(default_factory=list)
    already_completed: bool = False


def reservation_minutes() -> int:
    return getattr(settings, "RESERVATION_MINUTES", 15)


def checkout_amounts(*, checkout: Checkout, lines, fulfilments=None) -> tuple[dict, int, int]:
    """Per-vendor splits, the goods-and-shipping subtotal and the donation, from lines
    (CheckoutLine-like: vendor_id, unit_price_cents, quantity, solidarity_bps,
    solidarity_project_id). `fulfilments` (with their vendors) are read when not given."""
    market = checkout.market
    if fulfilments is None:
        fulfilments = checkout.fulfilments.select_related("vendor")
    fulfilments = {f.vendor_id: f for f in fulfilments}
    by_vendor: dict[int, list] = {}
    for line in lines:
        by_vendor.setdefault(line.vendor_id, []).append(line)
    splits = {}
    for vendor_id, vendor_lines in by_vendor.items():
        fulfilment = fulfilments.get(vendor_id)
        shipping = (
            fulfilment.vendor.shipping_fee_cents
            if fulfilment and fulfilment.method == CheckoutFulfilment.Method.SHIPPING
            else 0
        )
        splits[vendor_id] = order_split(
            lines=[
                LineInput(line.unit_price_cents, line.quantity, line.solidarity_bps,
                          line.solidarity_project_id)
                for line in vendor_lines
            ],
            shipping_cents=shipping,
            commission_bps=market.commission_bps,
        )
    subtotal = sum(split.gross_cents for split in splits.values())
    donation = (
        round_up_donation(subtotal) if checkout.donation_round_up else checkout.donation_cents
    )
    return splits, subtotal, donation


@transaction.atomic
def checkout_reserve(*, checkout: Checkout, now=None) -> ReserveResult:
    """Enter the payment step: hold the basket's units for RESERVATION_MINUTES, freeze the
    lines and the total. Lines that cannot be held are reported and left out; the rest
    of the basket is kept."""
    now = now or timezone.now()
    checkout = lock_checkout(checkout.pk)
    if checkout.state == Checkout.State.PAID:
        return ReserveResult()
    cart_lines = (
        list(checkout.cart.lines.select_related("product__vendor")) if checkout.cart else []
    )
    on_sale = set(
        products_on_sale(market=checkout.market)
        .filter(pk__in=[line.product_id for line in cart_lines])
        .values_list("pk", flat=True)
    )
    products = {p.pk: p for p in lock_products([line.product_id for line in cart_lines])}
    taken = reserved_by_others(product_ids=products.keys(), checkout=checkout, now=now)
    result = ReserveResult()
    checkout.lines.all().delete()
    checkout.reservations.all().delete()
    expires_at = now + timedelta(minutes=reservation_minutes())
    for cart_line in cart_lines:
        product = products[cart_line.product_id]
        available = max(product.stock - taken.get(product.pk, 0), 0) if product.pk in on_sale else 0
        if not checkout.market.is_open or available < cart_line.quantity:
            result.unavailable.append(Unavailable(product, cart_line.quantity, available))
            continue
        project_id = share_project_id(product, chosen_project_id=checkout.chosen_project_id)
        CheckoutLine.objects.create(
            checkout=checkout, product=product, vendor=product.vendor, title=product.title,
            quantity=cart_line.quantity, unit_price_cents=product.price_cents,
            solidarity_bps=product.solidarity_bps if project_id else 0,
            solidarity_project_id=project_id,
        )
        Reservation.objects.create(
            product=product, checkout=checkout, quantity=cart_line.quantity,
            expires_at=expires_at,
        )
    lines = list(checkout.lines.all())
    _, subtotal, donation = checkout_amounts(checkout=checkout, lines=lines)
    checkout.total_cents = subtotal + donation if lines else 0
    checkout.state = Checkout.State.RESERVED if lines else Checkout.State.OPEN
    checkout.save(update_fields=["total_cents", "state", "updated_at"])
    return result


@transaction.atomic
def checkout_release(*, checkout: Checkout) -> None:
    """Payment failed or abandoned: give the units back and reopen the checkout."""
    checkout = lock_checkout(checkout.pk)
    if checkout.state == Checkout.State.PAID:
        return
    checkout.reservations.all().delete()
    checkout.state = Checkout.State.OPEN
    checkout.save(update_fields=["state", "updated_at"])


def _address(fulfilment) -> str:
    if fulfilment is None or fulfilment.method != CheckoutFulfilment.Method.SHIPPING:
        return ""
    return "\n".join(filter(None, [
        fulfilment.shipping_name, fulfilment.shipping_address,
        f"{fulfilment.shipping_postcode} {fulfilment.shipping_city}".strip(),
    ]))


@transaction.atomic
def checkout_complete(
    *, checkout: Checkout, payment_reference: str = "", gateway: str = "", now=None
) -> CompletionResult:
    """The payment succeeded: sell the units, create one order per vendor and book every
    cent. Idempotent: a second call returns the same orders. A vendor whose units are no
    longer there (reservation expired and taken) gets its order refunded in full."""
    now = now or timezone.now()
    checkout = lock_checkout(checkout.pk)
    if checkout.state == Checkout.State.PAID:
        return CompletionResult(orders=list(checkout.orders.order_by("pk")),
                                already_completed=True)
    lines = list(checkout.lines.select_related("vendor").order_by("vendor_id", "pk"))
    products = {p.pk: p for p in lock_products([line.product_id for line in lines])}
    taken = reserved_by_others(product_ids=products.keys(), checkout=checkout, now=now)
    splits, subtotal, donation = checkout_amounts(checkout=checkout, lines=lines)
    fulfilments = {f.vendor_id: f for f in checkout.fulfilments.all()}

    honoured_vendors = set()
    for vendor_id in splits:
        vendor_lines = [line for line in lines if line.vendor_id == vendor_id]
        if all(products[line.product_id].stock - taken.get(line.product_id, 0) >= line.quantity
               for line in vendor_lines):
            honoured_vendors.add(vendor_id)

    result = CompletionResult(orders=[])
    for index, (vendor_id, split) in enumerate(sorted(splits.items()), start=1):
        vendor_lines = [line for line in lines if line.vendor_id == vendor_id]
        fulfilment = fulfilments.get(vendor_id)
        honoured = vendor_id in honoured_vendors
        order = Order.objects.create(
            checkout=checkout, vendor_id=vendor_id, number=f"{checkout.reference}-{index}",
            state=Order.State.PAID if honoured else Order.State.REFUNDED,
            fulfilment_method=fulfilment.method if fulfilment else CheckoutFulfilment.Method.PICKUP,
            pickup_point=fulfilment.pickup_point if fulfilment else None,
            shipping_address=_address(fulfilment),
            shipping_cents=split.shipping_cents, gross_cents=split.gross_cents,
            commission_cents=split.commission_cents if honoured else 0,
            solidarity_cents=split.solidarity_cents if honoured else 0,
            vendor_net_cents=split.vendor_net_cents if honoured else 0,
            refunded_cents=0 if honoured else split.gross_cents,
            paid_at=now,
        )
        OrderLine.objects.bulk_create([
            OrderLine(
                order=order, product_id=line.product_id, title=line.title,
                unit_price_cents=line.unit_price_cents, quantity=line.quantity,
                cancelled_quantity=0 if honoured else line.quantity,
                solidarity_bps=line.solidarity_bps,
                solidarity_project_id=line.solidarity_project_id,
                solidarity_cents=amount if honoured else 0,
            )
            for line, amount in zip(vendor_lines, split.line_solidarity_cents, strict=True)
        ])
        if honoured:
            for line in vendor_lines:
                Product.objects.filter(pk=line.product_id).update(stock=F("stock") - line.quantity)
            _book_order(order=order, split=split)
        else:
            LedgerEntry.objects.create(
                checkout=checkout, order=order, kind=LedgerEntry.Kind.REFUND,
                amount_cents=split.gross_cents, vendor_id=vendor_id,
                memo="units no longer available at payment",
            )
            result.refunds_due.append(order)
        result.orders.append(order)

    if donation:
        LedgerEntry.objects.create(
            checkout=checkout, kind=LedgerEntry.Kind.DONATION, amount_cents=donation,
            project=checkout.chosen_project,
        )
    checkout.reservations.all().delete()
    if checkout.cart_id:
        checkout.cart.lines.filter(product_id__in=[line.product_id for line in lines]).delete()
    checkout.state = Checkout.State.PAID
    checkout.paid_at = now
    checkout.total_cents = subtotal + donation
    checkout.payment_reference = payment_reference or checkout.payment_reference
    checkout.gateway = gateway or checkout.gateway
    checkout.save()

    from . import tasks

    checkout_id = checkout.pk
    transaction.on_commit(lambda: tasks.send_checkout_emails.delay(checkout_id))
    return result


def _book_order(*, order: Order, split) -> None:
    entries = [
        LedgerEntry(checkout_id=order.checkout_id, order=order,
                    kind=LedgerEntry.Kind.VENDOR_NET, amount_cents=split.vendor_net_cents,
                    vendor_id=order.vendor_id),
        LedgerEntry(checkout_id=order.checkout_id, order=order,
                    kind=LedgerEntry.Kind.COMMISSION, amount_cents=split.commission_cents),
    ]
    entries += [
        LedgerEntry(checkout_id=order.checkout_id, order=order,
                    kind=LedgerEntry.Kind.SOLIDARITY, amount_cents=amount, project_id=project_id)
        for project_id, amount in split.solidarity_by_project.items()
    ]
    LedgerEntry.objects.bulk_create(entry for entry in entries if entry.amount_cents)


@transaction.atomic
def reservations_purge(*, now=None) -> int:
    """Delete expired reservations (they are already ignored on read)."""
    now = now or timezone.now()
    deleted, _ = Reservation.objects.filter(expires_at__lte=now).delete()
    return deleted

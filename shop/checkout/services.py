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

from outbox.services import outbox_add
from shop.catalogue.selectors import products_on_sale, share_project_id
from shop.checkout.selectors import reserved_by_others, units_left
from shop.locking import lock_checkout, lock_products
from shop.models import (
    Checkout,
    CheckoutFulfilment,
    CheckoutLine,
    LedgerEntry,
    Order,
    OrderLine,
    Product,
    Reservation,
)
from shop.money import LineInput, order_split, round_up_donation


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
    # Why the payment was not used to complete the checkout (then refunded in full).
    refused: str = ""


def reservation_minutes() -> int:
    return getattr(settings, "RESERVATION_MINUTES", 15)


def checkout_amounts(
    *, checkout: Checkout, lines, fulfilments=None, frozen: bool = False
) -> tuple[dict, int, int]:
    """Per-vendor splits, the goods-and-shipping subtotal and the donation, from lines
    (CheckoutLine-like: vendor_id, unit_price_cents, quantity, solidarity_bps,
    solidarity_project_id). `fulfilments` (with their vendors) are read when not given.

    Before the payment step the shipping fees, the commission rate and the donation are
    read live; with `frozen`, as the last reservation froze them: what was charged."""
    if fulfilments is None:
        fulfilments = checkout.fulfilments.select_related("vendor")
    fulfilments = {f.vendor_id: f for f in fulfilments}
    commission_bps = (
        checkout.frozen_commission_bps or 0 if frozen else checkout.market.commission_bps
    )
    by_vendor: dict[int, list] = {}
    for line in lines:
        by_vendor.setdefault(line.vendor_id, []).append(line)
    splits = {}
    for vendor_id, vendor_lines in by_vendor.items():
        splits[vendor_id] = order_split(
            lines=[
                LineInput(line.unit_price_cents, line.quantity, line.solidarity_bps,
                          line.solidarity_project_id)
                for line in vendor_lines
            ],
            shipping_cents=_shipping_cents(fulfilments.get(vendor_id), frozen=frozen),
            commission_bps=commission_bps,
        )
    subtotal = sum(split.gross_cents for split in splits.values())
    if frozen:
        donation = checkout.frozen_donation_cents
    elif checkout.donation_round_up:
        donation = round_up_donation(subtotal)
    else:
        donation = checkout.donation_cents
    return splits, subtotal, donation


def _shipping_cents(fulfilment, *, frozen: bool) -> int:
    if fulfilment is None:
        return 0
    if frozen:
        return fulfilment.frozen_shipping_cents
    if fulfilment.method == CheckoutFulfilment.Method.SHIPPING:
        return fulfilment.vendor.shipping_fee_cents
    return 0


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
        available = units_left(product, taken) if product.pk in on_sale else 0
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
    _freeze_amounts(checkout=checkout)
    return result


def _freeze_amounts(*, checkout: Checkout) -> None:
    """Freeze, with the lines just written, every amount the payment will be for: the
    shipping fee of each vendor, the commission rate and the donation. A new revision
    makes any payment started for the previous one stale."""
    lines = list(checkout.lines.all())
    fulfilments = list(checkout.fulfilments.select_related("vendor"))
    splits, subtotal, donation = checkout_amounts(checkout=checkout, lines=lines,
                                                  fulfilments=fulfilments)
    for fulfilment in fulfilments:
        split = splits.get(fulfilment.vendor_id)
        fulfilment.frozen_shipping_cents = split.shipping_cents if split else 0
    CheckoutFulfilment.objects.bulk_update(fulfilments, ["frozen_shipping_cents"])
    checkout.frozen_commission_bps = checkout.market.commission_bps
    checkout.frozen_donation_cents = donation if lines else 0
    checkout.total_cents = subtotal + donation if lines else 0
    checkout.revision += 1
    checkout.state = Checkout.State.RESERVED if lines else Checkout.State.OPEN
    checkout.save(update_fields=["frozen_commission_bps", "frozen_donation_cents",
                                 "total_cents", "revision", "state", "updated_at"])


@transaction.atomic
def checkout_release(*, checkout: Checkout) -> None:
    """Payment failed or abandoned: give the units back and reopen the checkout."""
    checkout = lock_checkout(checkout.pk)
    if checkout.state == Checkout.State.PAID:
        return
    checkout.reservations.all().delete()
    checkout.state = Checkout.State.OPEN
    checkout.save(update_fields=["state", "updated_at"])


@transaction.atomic
def checkout_reopen(*, checkout: Checkout) -> Checkout:
    """The shopper changes the checkout after reaching the payment step: the units go back
    until the review reserves them again, and a payment started for what was frozen no
    longer matches (it is refunded if it still goes through)."""
    checkout = lock_checkout(checkout.pk)
    if checkout.state == Checkout.State.RESERVED:
        checkout.reservations.all().delete()
        checkout.state = Checkout.State.OPEN
        checkout.revision += 1
        checkout.save(update_fields=["state", "revision", "updated_at"])
    return checkout


@transaction.atomic
def checkout_hold(*, checkout: Checkout, now=None) -> ReserveResult:
    """Just before charging: make sure the frozen lines are still held, holding them again
    for RESERVATION_MINUTES when the reservation expired but the units are still there.
    The amounts stay frozen. Reports the lines that can no longer be held, changing
    nothing then: the shopper is not charged and goes back to the basket."""
    now = now or timezone.now()
    checkout = lock_checkout(checkout.pk)
    if checkout.state == Checkout.State.PAID:
        return ReserveResult()
    lines = list(checkout.lines.order_by("product_id"))
    products = {p.pk: p for p in lock_products([line.product_id for line in lines])}
    taken = reserved_by_others(product_ids=products.keys(), checkout=checkout, now=now)
    result = ReserveResult()
    for line in lines:
        available = units_left(products[line.product_id], taken)
        if available < line.quantity:
            result.unavailable.append(Unavailable(products[line.product_id], line.quantity,
                                                  available))
    if result.unavailable or not lines:
        return result
    live = checkout.reservations.filter(expires_at__gt=now)
    if checkout.state == Checkout.State.RESERVED and live.count() == len(lines):
        return result
    checkout.reservations.all().delete()
    expires_at = now + timedelta(minutes=reservation_minutes())
    Reservation.objects.bulk_create([
        Reservation(product_id=line.product_id, checkout=checkout, quantity=line.quantity,
                    expires_at=expires_at)
        for line in lines
    ])
    checkout.state = Checkout.State.RESERVED
    checkout.save(update_fields=["state", "updated_at"])
    return result


def _address(fulfilment) -> str:
    if fulfilment is None or fulfilment.method != CheckoutFulfilment.Method.SHIPPING:
        return ""
    return "\n".join(filter(None, [
        fulfilment.shipping_name, fulfilment.shipping_address,
        f"{fulfilment.shipping_postcode} {fulfilment.shipping_city}".strip(),
    ]))


class AmountMismatch(ValueError):
    """The payment is not for what the checkout froze: nothing is booked."""


@transaction.atomic
def checkout_complete(
    *, checkout: Checkout, payment_reference: str = "", gateway: str = "",
    amount_cents: int | None = None, now=None,
) -> CompletionResult:
    """The payment succeeded: sell the units, create one order per vendor and book every
    cent of the frozen amounts. Idempotent: a second call returns the same orders. A
    vendor whose units are no longer there (reservation expired and taken) gets its order
    refunded in full. Raises `AmountMismatch` when `amount_cents` (what was charged) is
    not the frozen total."""
    now = now or timezone.now()
    checkout = lock_checkout(checkout.pk)
    if checkout.state == Checkout.State.PAID:
        return CompletionResult(orders=list(checkout.orders.order_by("pk")),
                                already_completed=True)
    lines = list(checkout.lines.select_related("vendor").order_by("vendor_id", "pk"))
    fulfilments = list(checkout.fulfilments.select_related("vendor", "pickup_point"))
    splits, subtotal, donation = checkout_amounts(checkout=checkout, lines=lines,
                                                  fulfilments=fulfilments, frozen=True)
    if amount_cents is not None and (
        subtotal + donation != amount_cents or checkout.total_cents != amount_cents
    ):
        raise AmountMismatch(
            f"checkout {checkout.reference}: charged {amount_cents}, frozen "
            f"{subtotal + donation} (total {checkout.total_cents})"
        )
    honoured = _allocate(checkout=checkout, lines=lines, now=now)
    result = _create_orders(checkout=checkout, lines=lines, splits=splits,
                            fulfilments={f.vendor_id: f for f in fulfilments},
                            honoured=honoured, now=now)
    if donation:
        LedgerEntry.objects.create(
            checkout=checkout, kind=LedgerEntry.Kind.DONATION, amount_cents=donation,
            project=checkout.chosen_project,
        )
    _close_checkout(checkout=checkout, lines=lines, total_cents=subtotal + donation,
                    payment_reference=payment_reference, gateway=gateway, now=now)
    return result


def _allocate(*, checkout: Checkout, lines, now) -> set[int]:
    """Lock the products, then take the units of every vendor whose lines can all be
    served; returns those vendors."""
    products = {p.pk: p for p in lock_products([line.product_id for line in lines])}
    taken = reserved_by_others(product_ids=products.keys(), checkout=checkout, now=now)
    by_vendor: dict[int, list] = {}
    for line in lines:
        by_vendor.setdefault(line.vendor_id, []).append(line)
    honoured = {
        vendor_id for vendor_id, vendor_lines in by_vendor.items()
        if all(units_left(products[line.product_id], taken) >= line.quantity
               for line in vendor_lines)
    }
    for line in lines:
        if line.vendor_id in honoured:
            Product.objects.filter(pk=line.product_id).update(stock=F("stock") - line.quantity)
    return honoured


def _create_orders(*, checkout: Checkout, lines, splits, fulfilments, honoured, now):
    result = CompletionResult(orders=[])
    for index, (vendor_id, split) in enumerate(sorted(splits.items()), start=1):
        vendor_lines = [line for line in lines if line.vendor_id == vendor_id]
        order = _create_order(checkout=checkout, number=f"{checkout.reference}-{index}",
                              vendor_id=vendor_id, lines=vendor_lines, split=split,
                              fulfilment=fulfilments.get(vendor_id),
                              honoured=vendor_id in honoured, now=now)
        if vendor_id in honoured:
            _book_order(order=order, split=split)
        else:
            LedgerEntry.objects.create(
                checkout=checkout, order=order, kind=LedgerEntry.Kind.REFUND,
                amount_cents=split.gross_cents, vendor_id=vendor_id,
                memo="units no longer available at payment",
            )
            result.refunds_due.append(order)
        result.orders.append(order)
    return result


def _create_order(*, checkout, number, vendor_id, lines, split, fulfilment, honoured, now):
    order = Order.objects.create(
        checkout=checkout, vendor_id=vendor_id, number=number,
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
        for line, amount in zip(lines, split.line_solidarity_cents, strict=True)
    ])
    return order


def _close_checkout(*, checkout: Checkout, lines, total_cents, payment_reference, gateway,
                    now) -> None:
    checkout.reservations.all().delete()
    if checkout.cart_id:
        checkout.cart.lines.filter(product_id__in=[line.product_id for line in lines]).delete()
    checkout.state = Checkout.State.PAID
    checkout.paid_at = now
    checkout.total_cents = total_cents
    checkout.payment_reference = payment_reference or checkout.payment_reference
    checkout.gateway = gateway or checkout.gateway
    checkout.save()
    outbox_add(task="shop.tasks.send_checkout_emails", args=[checkout.pk],
               key=f"checkout-emails-{checkout.pk}")


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

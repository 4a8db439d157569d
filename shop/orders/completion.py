"""A paid checkout becomes vendor orders: the units are sold, one order per vendor is
created and every cent of the frozen amounts is booked in the ledger.

Lock order, as everywhere: the checkout row first, then product rows in primary-key order
(`shop.locking`). Each step below runs under the lock `checkout_complete` takes.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.services import outbox_add
from shop.catalogue.models import Product
from shop.checkout.models import Checkout, CheckoutFulfilment
from shop.checkout.pricing import checkout_amounts
from shop.checkout.selectors import reserved_by_others, units_left
from shop.locking import lock_checkout, lock_products
from shop.orders.models import LedgerEntry, Order, OrderLine


@dataclass
class CompletionResult:
    orders: list[Order]
    refunds_due: list[Order] = field(default_factory=list)
    already_completed: bool = False
    # Why the payment was not used to complete the checkout (then refunded in full).
    refused: str = ""


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
    _check_amount(checkout=checkout, frozen_cents=subtotal + donation, amount_cents=amount_cents)
    honoured = _allocate(checkout=checkout, lines=lines, now=now)
    result = _create_orders(checkout=checkout, lines=lines, splits=splits,
                            fulfilments={f.vendor_id: f for f in fulfilments},
                            honoured=honoured, now=now)
    _book_donation(checkout=checkout, donation_cents=donation)
    _tell_donors(checkout=checkout, lines=lines, honoured=honoured)
    _close_checkout(checkout=checkout, lines=lines, total_cents=subtotal + donation,
                    payment_reference=payment_reference, gateway=gateway, now=now)
    return result


def _check_amount(*, checkout: Checkout, frozen_cents: int, amount_cents: int | None) -> None:
    if amount_cents is None:
        return
    if frozen_cents != amount_cents or checkout.total_cents != amount_cents:
        raise AmountMismatch(
            f"checkout {checkout.reference}: charged {amount_cents}, frozen "
            f"{frozen_cents} (total {checkout.total_cents})"
        )


def _book_donation(*, checkout: Checkout, donation_cents: int) -> None:
    if donation_cents:
        LedgerEntry.objects.create(
            checkout=checkout, kind=LedgerEntry.Kind.DONATION, amount_cents=donation_cents,
            project=checkout.chosen_project,
        )


def _tell_donors(*, checkout: Checkout, lines, honoured) -> None:
    """A line with a fixed amount per unit for its project is a donated object's: its donor
    is told of the sale (`shop.donations`), once the orders are committed."""
    if any(line.solidarity_unit_cents is not None and line.vendor_id in honoured
           for line in lines):
        outbox_add(task="shop.tasks.send_donation_sold_emails", args=[checkout.pk],
                   key=f"donations-sold-{checkout.pk}")


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
    organiser = checkout.market.organiser
    for index, (vendor_id, split) in enumerate(sorted(splits.items()), start=1):
        vendor_lines = [line for line in lines if line.vendor_id == vendor_id]
        order = _create_order(checkout=checkout, number=f"{checkout.reference}-{index}",
                              vendor=vendor_lines[0].vendor, lines=vendor_lines, split=split,
                              fulfilment=fulfilments.get(vendor_id),
                              honoured=vendor_id in honoured, now=now)
        if vendor_id in honoured:
            _book_order(order=order, split=split, organiser=organiser)
        else:
            LedgerEntry.objects.create(
                checkout=checkout, order=order, kind=LedgerEntry.Kind.REFUND,
                amount_cents=split.gross_cents, vendor_id=vendor_id,
                memo="units no longer available at payment",
            )
            result.refunds_due.append(order)
        result.orders.append(order)
    return result


def _vat_at_sale(vendor) -> dict:
    """The seller's VAT situation, frozen on the order for its receipt: a later change of
    it is not retroactive."""
    if not vendor.vat_liable:
        return {"vat_rate_bps": None, "vat_number": ""}
    return {"vat_rate_bps": vendor.vat_rate_bps, "vat_number": vendor.vat_number}


def _create_order(*, checkout, number, vendor, lines, split, fulfilment, honoured, now):
    order = Order.objects.create(
        checkout=checkout, vendor=vendor, number=number,
        state=Order.State.PAID if honoured else Order.State.REFUNDED,
        fulfilment_method=fulfilment.method if fulfilment else CheckoutFulfilment.Method.PICKUP,
        pickup_point=fulfilment.pickup_point if fulfilment else None,
        # Kept even when the slot filled up after the hold expired (see shop.checkout.slots).
        pickup_slot_id=fulfilment.pickup_slot_id if fulfilment else None,
        shipping_address=_address(fulfilment),
        shipping_cents=split.shipping_cents, gross_cents=split.gross_cents,
        commission_cents=split.commission_cents if honoured else 0,
        commission_bps=split.commission_bps,
        solidarity_cents=split.solidarity_cents if honoured else 0,
        vendor_net_cents=split.vendor_net_cents if honoured else 0,
        refunded_cents=0 if honoured else split.gross_cents,
        paid_at=now,
        **_vat_at_sale(vendor),
    )
    OrderLine.objects.bulk_create([
        OrderLine(
            order=order, product_id=line.product_id, title=line.title,
            unit_price_cents=line.unit_price_cents, quantity=line.quantity,
            cancelled_quantity=0 if honoured else line.quantity,
            solidarity_bps=line.solidarity_bps,
            solidarity_project_id=line.solidarity_project_id,
            solidarity_unit_cents=line.solidarity_unit_cents,
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


def _book_order(*, order: Order, split, organiser) -> None:
    """Book what a served order shares out: the vendor's net, the commission (the market's
    organiser's) and the solidarity shares by project."""
    entries = [
        LedgerEntry(checkout_id=order.checkout_id, order=order,
                    kind=LedgerEntry.Kind.VENDOR_NET, amount_cents=split.vendor_net_cents,
                    vendor_id=order.vendor_id),
        LedgerEntry(checkout_id=order.checkout_id, order=order,
                    kind=LedgerEntry.Kind.COMMISSION, amount_cents=split.commission_cents,
                    organiser=organiser),
    ]
    entries += [
        LedgerEntry(checkout_id=order.checkout_id, order=order,
                    kind=LedgerEntry.Kind.SOLIDARITY, amount_cents=amount, project_id=project_id)
        for project_id, amount in split.solidarity_by_project.items()
    ]
    LedgerEntry.objects.bulk_create(entry for entry in entries if entry.amount_cents)

"""The checkout steps before payment: reservations held, amounts frozen, released.

Lock order, everywhere: the checkout row first, then its pick-up slot, then product rows
in primary-key order (`shop.locking`). Availability and a slot's room are always checked
inside the lock.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from markets.pickup import PickupSlot
from shop.catalogue.models import Product
from shop.catalogue.selectors import products_on_sale, share_project_id
from shop.checkout.models import Checkout, CheckoutFulfilment, CheckoutLine, Reservation
from shop.checkout.pricing import checkout_amounts
from shop.checkout.selectors import reserved_by_others, units_left
from shop.checkout.slots import slot_full_for, slot_gone_for
from shop.locking import lock_checkout, lock_products


@dataclass
class Unavailable:
    """A basket line that could not be reserved, and how many units are left."""

    product: Product
    wanted: int
    available: int


@dataclass
class ReserveResult:
    unavailable: list[Unavailable] = field(default_factory=list)
    # The pick-up slot chosen has no room left: nothing was reserved or changed.
    slot_full: PickupSlot | None = None
    # The pick-up slot chosen was deleted meanwhile: nothing was reserved or changed.
    slot_gone: bool = False

    @property
    def ok(self) -> bool:
        return not self.unavailable and self.slot_full is None and not self.slot_gone


def reservation_minutes() -> int:
    return getattr(settings, "RESERVATION_MINUTES", 15)


@transaction.atomic
def checkout_reserve(*, checkout: Checkout, now=None) -> ReserveResult:
    """Enter the payment step: hold the basket's units for RESERVATION_MINUTES, freeze the
    lines and the total. Lines that cannot be held are reported and left out; the rest
    of the basket is kept. When the pick-up slot chosen is full or was deleted, nothing is
    reserved and nothing changes: the shopper chooses another slot."""
    now = now or timezone.now()
    checkout = lock_checkout(checkout.pk)
    if checkout.state == Checkout.State.PAID:
        return ReserveResult()
    if refused := _slot_refused(checkout=checkout, now=now):
        return refused
    cart_lines, on_sale = _basket_on_sale(checkout)
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
            solidarity_unit_cents=product.solidarity_unit_cents if project_id else None,
        )
        Reservation.objects.create(
            product=product, checkout=checkout, quantity=cart_line.quantity,
            expires_at=expires_at,
        )
    _freeze_amounts(checkout=checkout)
    return result


def _slot_refused(*, checkout: Checkout, now) -> ReserveResult | None:
    """The refusal when the checkout's pick-up slot is full or was deleted; under the
    checkout lock, the slot's row locked while its room is counted."""
    if full := slot_full_for(checkout=checkout, now=now):
        return ReserveResult(slot_full=full)
    if slot_gone_for(checkout=checkout):
        return ReserveResult(slot_gone=True)
    return None


def _basket_on_sale(checkout: Checkout) -> tuple[list, set[int]]:
    """The basket's lines, and which of their products are on sale in the market."""
    cart_lines = (
        list(checkout.cart.lines.select_related("product__vendor")) if checkout.cart else []
    )
    on_sale = set(
        products_on_sale(market=checkout.market)
        .filter(pk__in=[line.product_id for line in cart_lines])
        .values_list("pk", flat=True)
    )
    return cart_lines, on_sale


def _freeze_amounts(*, checkout: Checkout) -> None:
    """Freeze, with the lines just written, every amount the payment will be for: the
    shipping fee and the commission rate of each vendor, and the donation. A new revision
    makes any payment started for the previous one stale."""
    lines = list(checkout.lines.all())
    fulfilments = list(checkout.fulfilments.select_related("vendor"))
    splits, subtotal, donation = checkout_amounts(checkout=checkout, lines=lines,
                                                  fulfilments=fulfilments)
    for fulfilment in fulfilments:
        split = splits.get(fulfilment.vendor_id)
        fulfilment.frozen_shipping_cents = split.shipping_cents if split else 0
    CheckoutFulfilment.objects.bulk_update(fulfilments, ["frozen_shipping_cents"])
    for line in lines:
        line.commission_bps = splits[line.vendor_id].commission_bps
    CheckoutLine.objects.bulk_update(lines, ["commission_bps"])
    checkout.frozen_donation_cents = donation if lines else 0
    checkout.total_cents = subtotal + donation if lines else 0
    checkout.revision += 1
    checkout.state = Checkout.State.RESERVED if lines else Checkout.State.OPEN
    checkout.save(update_fields=["frozen_donation_cents", "total_cents", "revision", "state",
                                 "updated_at"])


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
    nothing then: the shopper is not charged and goes back to the basket. So does a pick-up
    slot that filled up, or was deleted, after the reservation expired."""
    now = now or timezone.now()
    checkout = lock_checkout(checkout.pk)
    if checkout.state == Checkout.State.PAID:
        return ReserveResult()
    lines = list(checkout.lines.order_by("product_id"))
    # A live hold keeps its slot place; an expired one must find room again.
    still_held = (checkout.state == Checkout.State.RESERVED and lines and
                  checkout.reservations.filter(expires_at__gt=now).count() == len(lines))
    if not still_held and (refused := _slot_refused(checkout=checkout, now=now)):
        return refused
    result = ReserveResult(unavailable=_lines_gone(checkout=checkout, lines=lines, now=now))
    if result.unavailable or not lines or still_held:
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


def _lines_gone(*, checkout: Checkout, lines, now) -> list[Unavailable]:
    """Lock the lines' products and report those whose units are no longer there."""
    products = {p.pk: p for p in lock_products([line.product_id for line in lines])}
    taken = reserved_by_others(product_ids=products.keys(), checkout=checkout, now=now)
    return [
        Unavailable(products[line.product_id], line.quantity, available)
        for line in lines
        if (available := units_left(products[line.product_id], taken)) < line.quantity
    ]


@transaction.atomic
def reservations_purge(*, now=None) -> int:
    """Delete expired reservations (they are already ignored on read)."""
    now = now or timezone.now()
    deleted, _ = Reservation.objects.filter(expires_at__lte=now).delete()
    return deleted

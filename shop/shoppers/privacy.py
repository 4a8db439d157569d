"""A shopper's personal data (GDPR): what is held for an e-mail address, handed over as a
file, and erased on request.

Erasure anonymises rather than deletes: a checkout keeps its reference, dates, amounts,
lines and ledger entries (the accounts of the market, its vendors and projects must still
add up, and must be kept for years), while the shopper's name, e-mail, phone and
addresses are blanked. Only what is closed is erased: an order still to hand over, a
payment in progress, the days of the right of withdrawal after the last hand-over
(`SHOPPER_DATA_KEPT_DAYS`) and a recent card dispute keep the contact details the vendor
or organiser may need; the shopper is told which orders wait and until when, and can ask
again then.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from shop.checkout.models import Checkout, CheckoutFulfilment
from shop.locking import lock_checkout
from shop.orders.models import Order
from shop.shoppers.models import OrderAccessLink
from shop.shoppers.selectors import checkouts_of

# Functions registered under this name take `checkout_ids` (just anonymised) and erase
# what higher apps hold about those shoppers (the payment provider's event payloads).
SHOPPER_ERASURE_HOOK = "erase_shopper_data"

OPEN_ORDER_STATES = (Order.State.PENDING_PAYMENT, Order.State.PAID, Order.State.READY,
                     Order.State.PARTIALLY_REFUNDED)
WAITING_FOR_HANDOVER = _("An order is not handed over yet: the seller may need to reach you.")
WITHDRAWAL_PERIOD = _("The period during which you may return items, and the seller refund "
                      "you, is not over.")
DISPUTE = _("A card payment dispute was opened recently and may still need your details.")
PAYMENT_IN_PROGRESS = _("A payment is in progress.")


@dataclass(frozen=True)
class KeptCheckout:
    checkout: Checkout
    reason: str
    until: datetime | None = None


@dataclass
class ErasurePlan:
    erasable: list[Checkout] = field(default_factory=list)
    kept: list[KeptCheckout] = field(default_factory=list)


@dataclass
class ErasureResult:
    erased: list[str] = field(default_factory=list)
    kept: list[KeptCheckout] = field(default_factory=list)


def _dispute_hold(orders: list[Order]) -> datetime | None:
    """Until when a card dispute on one of the orders may still need the details."""
    disputed = max((order.disputed_at for order in orders if order.disputed_at), default=None)
    if disputed is None:
        return None
    return disputed + timedelta(days=settings.SHOPPER_DATA_KEPT_DAYS_AFTER_DISPUTE)


def _withdrawal_end(checkout: Checkout, orders: list[Order]) -> datetime:
    """The end of the right of withdrawal, counted from the last hand-over."""
    closed_at = max([checkout.paid_at or checkout.created_at]
                    + [order.fulfilled_at for order in orders if order.fulfilled_at])
    return closed_at + timedelta(days=settings.SHOPPER_DATA_KEPT_DAYS)


def _kept_reason(checkout: Checkout, orders: list[Order], now) -> KeptCheckout | None:
    """Why the shopper's details must stay on `checkout` for now, or None."""
    if checkout.state == Checkout.State.RESERVED:
        return KeptCheckout(checkout, PAYMENT_IN_PROGRESS)
    if checkout.state != Checkout.State.PAID:
        return None
    if any(order.state in OPEN_ORDER_STATES for order in orders):
        return KeptCheckout(checkout, WAITING_FOR_HANDOVER)
    dispute_hold = _dispute_hold(orders)
    if dispute_hold and dispute_hold > now:
        return KeptCheckout(checkout, DISPUTE, dispute_hold)
    withdrawal_end = _withdrawal_end(checkout, orders)
    if withdrawal_end > now:
        return KeptCheckout(checkout, WITHDRAWAL_PERIOD, withdrawal_end)
    return None


def erasure_plan(*, email: str, now=None) -> ErasurePlan:
    """Which checkouts of `email` can be anonymised now, and why the others wait."""
    now = now or timezone.now()
    plan = ErasurePlan()
    checkouts = checkouts_of(email).prefetch_related("orders").order_by("pk")
    for checkout in checkouts:
        kept = _kept_reason(checkout, list(checkout.orders.all()), now)
        if kept:
            plan.kept.append(kept)
        else:
            plan.erasable.append(checkout)
    return plan


def _anonymise(checkout_id: int, email: str, now) -> bool:
    """Blank the shopper's details on one checkout, under its lock, if it still belongs to
    `email` and is still closed."""
    with transaction.atomic():
        checkout = lock_checkout(checkout_id)
        if checkout.email.lower() != email.lower():
            return False
        if _kept_reason(checkout, list(Order.objects.filter(checkout=checkout)), now):
            return False
        Checkout.objects.filter(pk=checkout.pk).update(
            email="", first_name="", last_name="", phone="", personal_data_erased_at=now,
            updated_at=now)
        CheckoutFulfilment.objects.filter(checkout=checkout).update(
            shipping_name="", shipping_address="", shipping_postcode="", shipping_city="")
        Order.objects.filter(checkout=checkout).update(shipping_address="", tracking_number="")
    return True


def privacy_erase(*, email: str, now=None) -> ErasureResult:
    """Anonymise every closed checkout of `email`; say which others wait and why. Amounts,
    references, dates and ledger entries are untouched."""
    now = now or timezone.now()
    plan = erasure_plan(email=email, now=now)
    result = ErasureResult(kept=plan.kept)
    erased_ids = []
    for checkout in plan.erasable:
        if _anonymise(checkout.pk, email, now):
            erased_ids.append(checkout.pk)
            result.erased.append(checkout.reference)
    OrderAccessLink.objects.filter(email__iexact=email).delete()
    if erased_ids:
        for erase in hooks.get_hooks(SHOPPER_ERASURE_HOOK):
            erase(checkout_ids=erased_ids)
    return result


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _fulfilment_data(fulfilment: CheckoutFulfilment) -> dict:
    point, slot = fulfilment.pickup_point, fulfilment.pickup_slot
    return {
        "vendor": fulfilment.vendor.name,
        "method": fulfilment.method,
        "pickup_point": point.name if point else None,
        "pickup_slot": slot.label if slot else None,
        "shipping_name": fulfilment.shipping_name,
        "shipping_address": fulfilment.shipping_address,
        "shipping_postcode": fulfilment.shipping_postcode,
        "shipping_city": fulfilment.shipping_city,
    }


def _order_data(order: Order) -> dict:
    return {
        "number": order.number,
        "vendor": order.vendor.name,
        "state": order.state,
        "fulfilment": order.fulfilment_method,
        "shipping_address": order.shipping_address,
        "tracking_number": order.tracking_number,
        "total_cents": order.gross_cents,
        "refunded_cents": order.refunded_cents,
        "paid_at": _when(order.paid_at),
        "fulfilled_at": _when(order.fulfilled_at),
        "lines": [{"title": line.title, "quantity": line.quantity,
                   "cancelled_quantity": line.cancelled_quantity,
                   "unit_price_cents": line.unit_price_cents} for line in order.lines.all()],
    }


def privacy_export(*, email: str, checkouts: list[Checkout], now=None) -> dict:
    """Every personal datum held for `email`, from `checkouts` (`selectors.shopper_data`),
    as a JSON-ready dict; amounts in cents of euros."""
    return {
        "email": email,
        "generated_at": _when(now or timezone.now()),
        "currency": "EUR",
        "checkouts": [{
            "reference": checkout.reference,
            "market": checkout.market.title,
            "state": checkout.state,
            "created_at": _when(checkout.created_at),
            "paid_at": _when(checkout.paid_at),
            "contact": {"email": checkout.email, "first_name": checkout.first_name,
                        "last_name": checkout.last_name, "phone": checkout.phone},
            "total_cents": checkout.total_cents,
            "donation_cents": checkout.frozen_donation_cents or checkout.donation_cents,
            "chosen_project": checkout.chosen_project.title if checkout.chosen_project else None,
            "terms_accepted_at": _when(checkout.terms_accepted_at),
            "fulfilments": [_fulfilment_data(item) for item in checkout.fulfilments.all()],
            "orders": [_order_data(order) for order in checkout.orders.all()],
        } for checkout in checkouts],
    }

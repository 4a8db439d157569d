"""What a shopper may still put in a basket, and if nothing, why: the item was sold, or its
units are held in other shoppers' baskets awaiting payment (they come back on sale if
those reservations lapse), or they are already in the shopper's own basket.

For a listing, the same facts are annotated on the products in the listing's own query.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, IntegerField, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from shop.catalogue.selectors import products_on_sale
from shop.checkout.models import Cart, CartLine, Reservation


def clock_time(moment: datetime) -> str:
    """A time of today as the shopper reads it: « 14 h 32 » in French."""
    return dateformat.format(timezone.localtime(moment), pgettext("reservation time", "g:i a"))


def _held_elsewhere(*, session_key: str | None, now):
    """Live reservations of checkouts other than those of the session's basket."""
    reservations = Reservation.objects.filter(expires_at__gt=now)
    if session_key:
        reservations = reservations.exclude(checkout__cart__session_key=session_key)
    return reservations


def hold_annotations(*, session_key: str | None, now=None) -> dict:
    """Annotations for a queryset of products, computed in its own query: `units_free`
    (the units nobody else holds), `held_until` (when the last hold by someone else
    lapses) and `in_basket` (units in the basket of the browser session `session_key`)."""
    held = _held_elsewhere(session_key=session_key, now=now or timezone.now()).filter(
        product_id=OuterRef("pk")).order_by().values("product_id")
    units_held = Coalesce(Subquery(held.annotate(total=Sum("quantity")).values("total")),
                          Value(0))
    in_basket = Value(0, output_field=IntegerField())
    if session_key:
        in_basket = Coalesce(Subquery(
            CartLine.objects.filter(product_id=OuterRef("pk"), cart__session_key=session_key)
            .values("quantity")[:1]
        ), Value(0))
    return {
        "units_free": Greatest(F("stock") - units_held, Value(0)),
        "held_until": Subquery(held.annotate(until=Max("expires_at")).values("until")),
        "in_basket": in_basket,
    }


@dataclass(frozen=True)
class Availability:
    """The units of a product a shopper may put in a basket, and why not more."""

    stock: int
    on_sale: bool
    units_held: int = 0
    held_until: datetime | None = None

    @property
    def units(self) -> int:
        return max(self.stock - self.units_held, 0) if self.on_sale else 0


def product_availability(*, product, market, cart: Cart | None = None, now=None) -> Availability:
    """What other shoppers hold of `product` in `market`, leaving out `cart`'s own
    reservations; nothing is available when it is not on sale there."""
    if not products_on_sale(market=market).filter(pk=product.pk).exists():
        return Availability(stock=product.stock, on_sale=False)
    held = _held_elsewhere(session_key=cart.session_key if cart else None,
                           now=now or timezone.now())
    totals = held.filter(product=product).aggregate(units=Sum("quantity"),
                                                    until=Max("expires_at"))
    return Availability(stock=product.stock, on_sale=True, units_held=totals["units"] or 0,
                        held_until=totals["until"])


def unavailable_message(product, availability: Availability) -> str:
    """Why none of `product` can go in a basket."""
    if not availability.on_sale:
        return _("This item is no longer on sale.")
    if availability.stock == 0:
        return _("« %(title)s » has been sold.") % {"title": product.title}
    if availability.stock == 1:
        message = _("« %(title)s » is reserved in another basket.")
    else:
        message = _("Every unit of « %(title)s » is reserved in other baskets.")
    message %= {"title": product.title}
    if availability.held_until:
        message += " " + _("If it is not paid for, it comes back on sale at %(time)s.") % {
            "time": clock_time(availability.held_until)}
    return message


def quantity_refusal(product, availability: Availability, quantity: int) -> str:
    """Why a basket cannot hold `quantity` units of `product` ("" when it can)."""
    units = availability.units
    if units == 0:
        return unavailable_message(product, availability)
    if quantity <= units:
        return ""
    return ngettext(
        "Only %(count)d unit of « %(title)s » is available.",
        "Only %(count)d units of « %(title)s » are available.",
        units,
    ) % {"count": units, "title": product.title}


def add_refusal(product, availability: Availability, *, in_basket: int, quantity: int) -> str:
    """Why `quantity` more units of `product` cannot join the `in_basket` units already in
    the shopper's basket ("" when they can)."""
    units = availability.units
    if units and in_basket >= units:
        if product.is_unique_item:
            return _("« %(title)s » is already in your basket: it is a one-of-a-kind item.") % {
                "title": product.title}
        return ngettext(
            "Only %(count)d unit of « %(title)s » is left, already in your basket.",
            "Only %(count)d units of « %(title)s » are left, already in your basket.",
            units,
        ) % {"count": units, "title": product.title}
    return quantity_refusal(product, availability, in_basket + quantity)

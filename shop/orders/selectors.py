"""Reads about paid orders shared by the e-mails, the shopper's order page and the
vendor's « Mes commandes »."""


from django.conf import settings
from django.core import signing
from django.db.models import F, Prefetch, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shop.checkout.models import Checkout, CheckoutFulfilment
from shop.orders.models import Order, OrderLine

ORDER_PAGE_SALT = "shop.order-page"

# The shopper's words for a vendor order's state.
SHOPPER_STATUS = {
    Order.State.PENDING_PAYMENT: _("Awaiting payment"),
    Order.State.PAID: _("To prepare"),
    Order.State.READY: _("Ready to be collected"),
    Order.State.FULFILLED: _("Handed over"),
    Order.State.CANCELLED: _("Order cancelled"),
    Order.State.REFUNDED: _("Refunded in full"),
    Order.State.PARTIALLY_REFUNDED: _("Partly refunded"),
}
SHOPPER_STATUS_SHIPPING = {
    Order.State.READY: _("Ready to be shipped"),
    Order.State.FULFILLED: _("Shipped"),
}

# Orders a vendor still has to hand over.
TO_HAND_OVER = (Order.State.PAID, Order.State.READY, Order.State.PARTIALLY_REFUNDED)
# Orders that count as sales.
SOLD = (Order.State.PAID, Order.State.READY, Order.State.FULFILLED,
        Order.State.PARTIALLY_REFUNDED)


def order_link_token(checkout: Checkout) -> str:
    """The secret part of the shopper's order page address (no account needed)."""
    return signing.Signer(salt=ORDER_PAGE_SALT).sign_object(checkout.pk)


def order_page_url(checkout: Checkout, *, absolute: bool = True) -> str:
    path = reverse("shop_orders:order_page", args=[order_link_token(checkout)])
    return settings.SITE_URL + path if absolute else path


def checkout_id_from_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=ORDER_PAGE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def order_status_label(order: Order) -> str:
    if order.fulfilment_method == CheckoutFulfilment.Method.SHIPPING:
        label = SHOPPER_STATUS_SHIPPING.get(order.state)
        if label:
            return label
    return SHOPPER_STATUS.get(order.state, order.get_state_display())


def orders_with_details() -> QuerySet[Order]:
    """Orders with what every page about them shows: vendor, pick-up point and lines."""
    return Order.objects.select_related("vendor", "pickup_point", "pickup_slot").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    )


def checkout_for_order_page(checkout_id: int) -> Checkout | None:
    return (
        Checkout.objects.filter(pk=checkout_id, state=Checkout.State.PAID)
        .select_related("market")
        .prefetch_related(Prefetch("orders", queryset=orders_with_details().order_by("pk")))
        .first()
    )


def with_units(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """Annotate `units`: the units still to hand over."""
    return queryset.annotate(
        units=Sum(F("lines__quantity") - F("lines__cancelled_quantity"))
    )


def pickup_list_orders(*, orders: QuerySet[Order], pickup_point_id: int) -> QuerySet[Order]:
    """The orders to hand over at a pick-up point, by shopper name."""
    return (
        orders.filter(pickup_point_id=pickup_point_id, state__in=TO_HAND_OVER,
                      fulfilment_method=CheckoutFulfilment.Method.PICKUP)
        .select_related("checkout", "pickup_point", "pickup_slot")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .order_by(F("pickup_slot__starts_at").asc(nulls_first=True),
                  "checkout__last_name", "checkout__first_name", "pk")
    )


def market_pickup_orders(*, market_id: int) -> QuerySet[Order]:
    """Every vendor's orders to hand over at the market's pick-up points, by point, slot
    and shopper, with `units` to hand over."""
    return with_units(
        Order.objects.filter(checkout__market_id=market_id, state__in=TO_HAND_OVER,
                             fulfilment_method=CheckoutFulfilment.Method.PICKUP)
        .select_related("checkout", "vendor", "pickup_point", "pickup_slot")
        .order_by(F("pickup_point__sort_order").asc(nulls_first=True), "pickup_point_id",
                  F("pickup_slot__starts_at").asc(nulls_first=True),
                  "checkout__last_name", "checkout__first_name", "pk")
    )


def with_kept_units(orders):
    """Set `kept` and `kept_total_cents` on each line: what the shopper still receives."""
    for order in orders:
        for line in order.lines.all():
            line.kept = line.quantity - line.cancelled_quantity
            line.kept_total_cents = line.kept * line.unit_price_cents
        order.status_label = order_status_label(order)
    return orders

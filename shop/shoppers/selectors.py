"""Reads about one shopper, known by e-mail address: their orders across markets."""

from django.db.models import Prefetch, QuerySet

from shop.checkout.models import Checkout
from shop.orders.models import Order
from shop.orders.selectors import order_page_url, order_status_label


def checkouts_of(email: str) -> QuerySet[Checkout]:
    """Every checkout made with `email`, whatever the case it was typed in."""
    return Checkout.objects.filter(email__iexact=email)


def latest_paid_contact(email: str) -> dict | None:
    """The contact fields of the last paid checkout of `email`."""
    return (checkouts_of(email).filter(state=Checkout.State.PAID)
            .order_by("-paid_at", "-pk")
            .values("email", "first_name", "last_name", "phone").first())


def shopper_orders(email: str) -> list[Checkout]:
    """The paid checkouts of `email`, newest first, across markets, each with its vendor
    orders (`order_list`, with `status_label`) and the address of its order page
    (`page_url`). Three queries, whatever the number of orders."""
    orders = Order.objects.select_related("vendor", "pickup_point", "pickup_slot").order_by("pk")
    checkouts = list(
        checkouts_of(email).filter(state=Checkout.State.PAID)
        .select_related("market")
        .prefetch_related(Prefetch("orders", queryset=orders, to_attr="order_list"))
        .order_by("-paid_at", "-pk")
    )
    for checkout in checkouts:
        checkout.page_url = order_page_url(checkout, absolute=False)
        for order in checkout.order_list:
            order.status_label = order_status_label(order)
    return checkouts


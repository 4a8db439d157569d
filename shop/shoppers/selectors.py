"""Reads about one shopper, known by e-mail address: their orders across markets and the
personal data held about them."""

from django.db.models import Prefetch, QuerySet

from shop.checkout.models import Checkout, CheckoutFulfilment
from shop.orders.models import Order, OrderLine
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


def shopper_data(email: str) -> list[Checkout]:
    """Every checkout of `email` with all that it holds about the shopper: fulfilments
    (addresses), orders and their lines."""
    fulfilments = CheckoutFulfilment.objects.select_related(
        "vendor", "pickup_point", "pickup_slot").order_by("pk")
    orders = Order.objects.select_related("vendor").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))).order_by("pk")
    return list(
        checkouts_of(email).select_related("market", "chosen_project")
        .prefetch_related(Prefetch("fulfilments", queryset=fulfilments),
                          Prefetch("orders", queryset=orders))
        .order_by("created_at", "pk")
    )

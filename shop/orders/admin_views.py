"""Back-office views of « Mes commandes »: every one scoped to the user's own vendor, and
answering 404 for any other vendor's order."""

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry

from markets.models import PickupPoint
from shop.checkout.models import CheckoutFulfilment
from shop.orders.forms import OrderCancelLinesForm, OrderFulfilForm
from shop.orders.models import Order, OrderLine
from shop.orders.receipt_views import render_receipt
from shop.orders.selectors import (
    pickup_list_orders,
    with_kept_units,
    with_units,
)
from shop.orders.services import (
    InvalidTransition,
    OrderActionError,
    order_can_become,
    order_mark_fulfilled,
    order_mark_ready,
)
from shop.orders.tracking import Carrier, tracking_url
from shop.orders.vendor_receipt import orders_for_receipt, was_sold
from vendors.permissions import ScopedObjectMixin, ScopedQuerysetMixin

ADMIN_NS = "shop_order_admin"


def scoped_orders(user, actions=("view", "change")) -> QuerySet[Order]:
    policy = policy_registry.get_by_type(Order)
    return policy.instances_user_has_any_permission_for(user, list(actions)).exclude(
        state=Order.State.PENDING_PAYMENT
    )


def scoped_pickup_points(user):
    """The pick-up points the user's orders go through."""
    return PickupPoint.objects.filter(
        pk__in=scoped_orders(user, ["view"]).values("pickup_point_id")
    ).order_by("name", "pk")


def cancel_lines_url(order: Order) -> str | None:
    """The payments app refunds through the gateway, then books the cancellation."""
    try:
        return reverse("payments:order_cancel_lines", args=[order.pk])
    except NoReverseMatch:
        return None


class OrderIndexView(ScopedQuerysetMixin, generic.IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().exclude(state=Order.State.PENDING_PAYMENT)
        return with_units(queryset.select_related("checkout", "pickup_point"))

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(gettext_lazy("Pick-up lists"), url=reverse(f"{ADMIN_NS}:pickup_list"),
                         icon_name="list-ul"),
        ]


class OrderInspectView(ScopedObjectMixin, generic.InspectView):
    template_name = "shop/admin/orders/inspect.html"

    def get_object(self, queryset=None):
        order = super().get_object(queryset)
        if order.state == Order.State.PENDING_PAYMENT:
            raise Http404
        return (
            Order.objects.select_related("checkout__market", "pickup_point", "pickup_slot",
                                         "vendor")
            .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
            .get(pk=order.pk)
        )

    def get_page_subtitle(self):
        return self.object.number

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = with_kept_units([self.object])[0]
        can_change = self.permission_policy.user_has_permission(self.request.user, "change")
        context.update({
            "order": order,
            "checkout": order.checkout,
            "is_shipping": order.fulfilment_method == CheckoutFulfilment.Method.SHIPPING,
            "can_mark_ready": can_change and order_can_become(order, Order.State.READY),
            "can_fulfil": can_change and order_can_become(order, Order.State.FULFILLED),
            "can_cancel": can_change and order_can_become(order, Order.State.REFUNDED),
            "fulfil_form": OrderFulfilForm(order=order),
            "cancel_form": OrderCancelLinesForm(order=order),
            "cancel_url": cancel_lines_url(order),
            "ready_url": reverse(f"{ADMIN_NS}:mark_ready", args=[order.pk]),
            "fulfil_url": reverse(f"{ADMIN_NS}:mark_fulfilled", args=[order.pk]),
            "receipt_url": (reverse(f"{ADMIN_NS}:receipt", args=[order.pk])
                            if was_sold(order) else ""),
        })
        return context


def _order_for_change(request, pk) -> Order:
    order = scoped_orders(request.user, ["change"]).filter(pk=pk).first()
    if order is None:
        raise Http404
    return order


def _back_to(order: Order):
    return redirect(f"{ADMIN_NS}:inspect", order.pk)


def order_mark_ready_view(request, pk):
    order = _order_for_change(request, pk)
    if request.method != "POST":
        return _back_to(order)
    try:
        order_mark_ready(order=order)
    except OrderActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Order %(number)s is ready: the shopper has been told.")
            % {"number": order.number},
        )
    return _back_to(order)


def _fulfil_form_invalid(request, form) -> bool:
    if form.is_valid():
        return False
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return True


def order_mark_fulfilled_view(request, pk):
    """GET: what handing over (or shipping) the order does, and a button to confirm.
    POST: mark it so."""
    order = _order_for_change(request, pk)
    data = request.POST if request.method == "POST" else request.GET
    form = OrderFulfilForm(data, order=order)
    if _fulfil_form_invalid(request, form):
        return _back_to(order)
    is_shipping = order.fulfilment_method == CheckoutFulfilment.Method.SHIPPING
    if request.method != "POST":
        if not order_can_become(order, Order.State.FULFILLED):
            messages.error(request, str(InvalidTransition(order, Order.State.FULFILLED)))
            return _back_to(order)
        return render(request, "shop/admin/orders/fulfil_confirm.html", {
            "order": order, "form": form, "is_shipping": is_shipping,
            "carrier_label": dict(Carrier.choices).get(form.cleaned_carrier(), ""),
            "tracking_url": tracking_url(form.cleaned_carrier(), form.cleaned_tracking_number()),
            "action_url": reverse(f"{ADMIN_NS}:mark_fulfilled", args=[order.pk]),
            "back_url": reverse(f"{ADMIN_NS}:inspect", args=[order.pk]),
        })
    try:
        order_mark_fulfilled(order=order, tracking_number=form.cleaned_tracking_number(),
                             carrier=form.cleaned_carrier())
    except OrderActionError as error:
        messages.error(request, str(error))
    else:
        message = (
            _("Order %(number)s is shipped: the shopper gets the tracking link by e-mail.")
            if is_shipping else _("Order %(number)s is handed over.")
        )
        messages.success(request, message % {"number": order.number})
    return _back_to(order)


def _receipt(request, pk, *, download: bool):
    # The same scope as every other view of « Mes commandes »: another vendor's order
    # answers 404.
    order = orders_for_receipt().filter(
        pk=pk, pk__in=scoped_orders(request.user, ["view"]).values("pk")).first()
    return render_receipt(
        request, order, download=download,
        download_url=reverse(f"{ADMIN_NS}:receipt_download", args=[pk]),
        back_url=reverse(f"{ADMIN_NS}:inspect", args=[pk]),
    )


def order_receipt_view(request, pk):
    """The receipt of one of the vendor's orders, as its shopper has it."""
    return _receipt(request, pk, download=False)


def order_receipt_download_view(request, pk):
    return _receipt(request, pk, download=True)


def pickup_list_view(request):
    """The orders to hand over at one pick-up point, to print."""
    points = list(scoped_pickup_points(request.user))
    raw = request.GET.get("pickup_point", "")
    if not raw:
        return render(request, "shop/admin/orders/pickup_list_choose.html", {
            "pickup_points": points,
            "index_url": reverse(f"{ADMIN_NS}:index"),
        })
    if not raw.isdigit():
        raise Http404
    # Only a point the user's own orders go through: another id says nothing, not even
    # the point's name.
    point = next((point for point in points if point.pk == int(raw)), None)
    if point is None:
        raise Http404
    orders = with_kept_units(list(
        pickup_list_orders(orders=scoped_orders(request.user, ["view"]), pickup_point_id=point.pk)
    ))
    return render(request, "shop/admin/orders/pickup_list.html", {
        "pickup_point": point,
        "orders": orders,
        "index_url": reverse(f"{ADMIN_NS}:index"),
    })


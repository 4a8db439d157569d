"""« Mes commandes » in the back office: the vendor's orders, and nobody else's."""


import django_filters
from django import forms
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from markets.permissions import VendorOwnedPermissionPolicy
from shop.checkout.models import CheckoutFulfilment
from shop.money import format_cents
from shop.orders import admin_views as admin_views_orders
from shop.orders.models import Order
from vendors.permissions import ScopedViewSetMixin

order_policy = VendorOwnedPermissionPolicy(Order)
register_permission_policy(Order, order_policy)


def pickup_points_for_request(request):
    return admin_views_orders.scoped_pickup_points(request.user)


class OrderFilterSet(WagtailFilterSet):
    state = django_filters.MultipleChoiceFilter(
        label=_("State"),
        choices=[choice for choice in Order.State.choices
                 if choice[0] != Order.State.PENDING_PAYMENT],
        widget=forms.CheckboxSelectMultiple,
    )
    pickup_point = django_filters.ModelChoiceFilter(
        label=_("Pick-up point"), queryset=pickup_points_for_request
    )

    class Meta:
        model = Order
        fields = []


def _paid_on(order: Order) -> str:
    moment = order.paid_at or order.created_at
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _fulfilment(order: Order) -> str:
    if order.fulfilment_method == CheckoutFulfilment.Method.SHIPPING:
        return str(_("Shipping"))
    return order.pickup_point.name if order.pickup_point else str(_("Pick-up"))


class OrderViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Order
    icon = "list-ul"
    menu_label = _("My orders")
    menu_name = "orders"
    name = "orders"
    url_namespace = admin_views_orders.ADMIN_NS
    url_prefix = "shop/orders"
    index_view_class = admin_views_orders.OrderIndexView
    inspect_view_class = admin_views_orders.OrderInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = OrderFilterSet
    search_fields = ["number", "checkout__last_name", "checkout__first_name", "checkout__email"]
    search_backend_name = None
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    list_display = [
        "number",
        Column("paid_at", label=_("Date"), accessor=_paid_on, sort_key="paid_at"),
        Column("shopper", label=_("Shopper"),
               accessor=lambda order: order.checkout.shopper_name),
        Column("units", label=_("Items"), accessor="units"),
        Column("fulfilment", label=_("Fulfilment"), accessor=_fulfilment),
        Column("gross", label=_("Amount"),
               accessor=lambda order: format_cents(order.gross_cents)),
        StatusTagColumn(
            "state", label=_("State"), accessor="get_state_display",
            primary=lambda order: order.state == Order.State.PAID,
        ),
    ]

    def get_common_view_kwargs(self, **kwargs):
        # Orders are made by the checkout and changed only through their actions.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for url_name in ("add", "edit", "delete", "history", "usage", "copy"):
            view_kwargs.pop(f"{url_name}_url_name", None)
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("ready/<int:pk>/", admin_views_orders.order_mark_ready_view,
                 name="mark_ready"),
            path("fulfil/<int:pk>/", admin_views_orders.order_mark_fulfilled_view,
                 name="mark_fulfilled"),
            path("pickup-list/", admin_views_orders.pickup_list_view, name="pickup_list"),
            path("receipt/<int:pk>/", admin_views_orders.order_receipt_view, name="receipt"),
            path("receipt/<int:pk>/download/", admin_views_orders.order_receipt_download_view,
                 name="receipt_download"),
        ]


order_viewset = OrderViewSet()

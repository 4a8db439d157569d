"""Back-office wiring for vendors: « Ma structure », « Mes photos », the dashboard, and the
vendors list that organisers moderate."""

import copy

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from . import admin_views
from .models import Vendor
from .permissions import VendorOwnedPermissionPolicy
from .selectors import vendor_dashboard, vendor_for_user

vendor_policy = VendorOwnedPermissionPolicy(Vendor, vendor_path="")
register_permission_policy(Vendor, vendor_policy)


class OrganiserVendorViewSet(ModelViewSet):
    """The vendors taking part in an organiser's markets; « edit » is moderation."""

    model = Vendor
    icon = "group"
    menu_label = _("Vendors")
    name = "vendors"
    url_prefix = "markets/vendors"
    permission_policy = vendor_policy
    index_view_class = admin_views.VendorIndexView
    edit_view_class = admin_views.VendorModerationView
    inspect_view_class = admin_views.VendorInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["status"]
    search_fields = ["name", "city", "siret", "rna", "email"]
    search_backend_name = None
    list_filter = ["status", "legal_form", "is_professional"]
    ordering = ["name"]
    list_display = [
        "name",
        Column("legal_form", label=_("Legal form"), accessor="get_legal_form_display"),
        Column("city", label=_("City"), accessor="city"),
        Column("email", label=_("Contact"), accessor="email"),
        StatusTagColumn(
            "status", label=_("Status"), accessor="get_status_display",
            primary=lambda vendor: vendor.status == Vendor.Status.APPROVED,
        ),
    ]
    list_export = ["name", "legal_form", "siret", "rna", "is_professional", "email", "phone",
                   "postcode", "city", "status"]
    export_filename = "exposants"
    inspect_view_fields = [
        "name", "legal_form", "siret", "rna", "is_professional", "description",
        "ess_commitment", "email", "phone", "website", "address", "postcode", "city", "status",
        "ships", "shipping_fee_cents", "default_solidarity_bps", "created_at",
    ]


@hooks.register("register_admin_urls")
def register_my_vendor_url():
    return [path("ma-structure/", admin_views.MyVendorView.as_view(), name="vendors_my_vendor")]


class MyVendorMenuItem(MenuItem):
    def is_shown(self, request):
        return vendor_for_user(request.user) is not None


@hooks.register("register_admin_menu_item")
def register_my_vendor_menu_item():
    return MyVendorMenuItem(
        _("My organisation"), reverse("vendors_my_vendor"), icon_name="home", order=105,
        name="my-vendor",
    )


VENDOR_MENU_LABELS = {
    "images": _("My photos"),
    "products": _("My products"),
    "orders": _("My orders"),
}


@hooks.register("construct_main_menu")
def name_menu_items_for_vendors(request, menu_items):
    """For a vendor, the image library is « Mes photos » (only its own collection) and the
    catalogue « Mes produits ». Menu items are shared by every request: relabel copies."""
    if vendor_for_user(request.user) is None:
        return
    for position, item in enumerate(menu_items):
        if item.name in VENDOR_MENU_LABELS:
            relabelled = copy.copy(item)
            relabelled.label = VENDOR_MENU_LABELS[item.name]
            menu_items[position] = relabelled


class VendorDashboardPanel(Component):
    name = "vendor_dashboard"
    order = 50
    template_name = "vendors/admin/dashboard_panel.html"

    def __init__(self, vendor):
        self.vendor = vendor

    def get_context_data(self, parent_context):
        return {**vendor_dashboard(vendor=self.vendor),
                "products_url": reverse("wagtailsnippets_shop_product:list"),
                "add_url": reverse("wagtailsnippets_shop_product:add")}


@hooks.register("construct_homepage_panels")
def add_vendor_dashboard(request, panels):
    vendor = vendor_for_user(request.user)
    if vendor is not None:
        panels.insert(0, VendorDashboardPanel(vendor))

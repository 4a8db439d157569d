"""Back-office wiring for vendors: « Ma structure », « Mes photos », the dashboard, and the
vendors list that organisers moderate."""

import copy

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .selectors import vendor_for_user


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



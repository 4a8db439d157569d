"""The shop in the back office: « Ma boutique » (the vendor's products and orders), the
vendor's dashboard, the catalogue's own URLs and bulk actions, and the shop's entries in
« Marchés »."""

from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from markets.menus import MARKETS_MENU_HOOK, OrganiserMenuItem
from markets.pickup import PICKUP_SLOT_BOOKINGS_HOOK
from shop.catalogue import admin_views
from shop.catalogue import csv_views as admin_csv_views
from shop.catalogue.viewsets import (
    ProductBulkDelete,
    ProductSetActive,
    ProductSetInactive,
    ProductViewSet,
    product_policy,
)
from shop.checkout.slots import booked_by_slot
from shop.dashboard import vendor_dashboard
from shop.donations import admin_views as donation_views
from shop.orders import organiser_views
from shop.orders.viewsets import order_viewset
from vendors.menus import (
    MY_SHOP_MENU_HOOK,
    AudienceMenuGroupMixin,
    VendorMenuItem,
    VendorSubmenuMenuItem,
)
from vendors.selectors import vendor_for_user


@hooks.register("register_admin_urls")
def register_catalogue_urls():
    return [
        path(
            "shop/products/stock/<int:pk>/",
            admin_views.product_stock_update,
            name="shop_product_stock",
        ),
        path(
            "shop/products/import/",
            admin_csv_views.catalogue_import_view,
            name="shop_catalogue_import",
        ),
        path(
            "shop/products/export-csv/",
            admin_csv_views.catalogue_export_view,
            name="shop_catalogue_export",
        ),
    ]


# Registered after Wagtail's own snippet actions so that, for products, they win.
for action_class in (ProductBulkDelete, ProductSetActive, ProductSetInactive):
    hooks.register("register_bulk_action", action_class, order=100)


class VendorDashboardPanel(Component):
    name = "vendor_dashboard"
    order = 50
    template_name = "shop/admin/dashboard_panel.html"

    def __init__(self, vendor):
        self.vendor = vendor

    def get_context_data(self, parent_context):
        # Components render from a plain dict: the invitation answers need the form token.
        return {**vendor_dashboard(vendor=self.vendor),
                "products_url": reverse("wagtailsnippets_shop_product:list"),
                "add_url": reverse("wagtailsnippets_shop_product:add"),
                "csrf_token": get_token(parent_context["request"])}


@hooks.register("construct_homepage_panels")
def add_vendor_dashboard(request, panels):
    vendor = vendor_for_user(request.user)
    if vendor is not None:
        panels.insert(0, VendorDashboardPanel(vendor))


class MyShopMenu(AudienceMenuGroupMixin, SnippetViewSetGroup):
    """« Ma boutique »: what a vendor manages. « Ma structure », « Mes photos » and the
    payouts join through `MY_SHOP_MENU_HOOK`."""

    menu_label = _("My shop")
    menu_icon = "home"
    menu_order = 100
    menu_name = "my-shop"
    submenu_hook = MY_SHOP_MENU_HOOK
    items = (ProductViewSet, order_viewset)
    submenu_item_class = VendorSubmenuMenuItem


register_snippet(MyShopMenu)


class ProductsOfVendorsMenuItem(OrganiserMenuItem):
    def is_shown(self, request):
        return super().is_shown(request) and product_policy.user_has_permission(
            request.user, "view")


class AllOrdersMenuItem(OrganiserMenuItem):
    """Every order, for platform admins (a vendor reaches its own from « Ma boutique »)."""

    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register(MARKETS_MENU_HOOK)
def register_products_of_vendors_menu_item():
    return ProductsOfVendorsMenuItem(
        _("Products of the vendors"), reverse("wagtailsnippets_shop_product:list"),
        icon_name="tag", name="vendor-products", order=30,
    )


@hooks.register(MARKETS_MENU_HOOK)
def register_all_orders_menu_item():
    return AllOrdersMenuItem(
        _("Orders"), reverse(order_viewset.get_url_name("index")),
        icon_name="list-ul", name="all-orders", order=31,
    )


@hooks.register(PICKUP_SLOT_BOOKINGS_HOOK)
def count_pickup_slot_bookings(*, slot_ids):
    return booked_by_slot(slot_ids=slot_ids)


@hooks.register(MARKETS_MENU_HOOK)
def register_market_pickup_list_menu_item():
    return OrganiserMenuItem(
        _("Pick-up lists"), reverse("markets_pickup_list_choose"),
        icon_name="list-ul", name="market-pickup-lists", order=32,
    )


@hooks.register("register_admin_urls")
def register_market_pickup_list_urls():
    return [
        path("markets/pickup-list/", organiser_views.market_pickup_list_choose_view,
             name="markets_pickup_list_choose"),
        path("markets/pickup-list/<int:market_id>/", organiser_views.market_pickup_list_view,
             name="markets_pickup_list"),
    ]


@hooks.register("register_admin_urls")
def register_donation_urls():
    return [
        path("shop/donations/", donation_views.donation_index_view, name="shop_donations"),
        path("shop/donations/<int:pk>/", donation_views.donation_detail_view,
             name="shop_donation"),
        path("shop/donations/<int:pk>/decline/", donation_views.donation_decline_view,
             name="shop_donation_decline"),
        path("shop/donations/<int:pk>/photos/<int:photo_pk>/",
             donation_views.donation_photo_view, name="shop_donation_photo"),
    ]


@hooks.register(MY_SHOP_MENU_HOOK)
def register_donations_menu_item():
    return VendorMenuItem(_("Donated objects"), reverse("shop_donations"), icon_name="pick",
                          name="donated-objects", order=5)

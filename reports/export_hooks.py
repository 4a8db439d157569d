"""Admin wiring of the exports and statements: their URLs, an « Exports » entry in the
organisers' « Marchés » menu and one in the vendors' « Ma boutique »."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from markets.menus import MARKETS_MENU_HOOK, OrganiserMenuItem
from vendors.menus import MY_SHOP_MENU_HOOK, VendorMenuItem

from . import export_urls


@hooks.register("register_admin_urls")
def register_export_urls():
    return [path("reports/exports/", include(export_urls, namespace="reports_exports"))]


@hooks.register(MARKETS_MENU_HOOK)
def register_exports_menu_item():
    return OrganiserMenuItem(_("Exports"), reverse("reports_exports:index"),
                             icon_name="download", name="exports", order=60)


@hooks.register(MY_SHOP_MENU_HOOK)
def register_my_exports_menu_item():
    return VendorMenuItem(_("My statement and exports"), reverse("reports_exports:index"),
                          icon_name="download", name="my-exports", order=6)

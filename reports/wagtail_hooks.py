"""The organisers' dashboards in the back office: their URLs, the « Tableaux de bord »
entry of « Marchés » and the panel of the admin home."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from markets.menus import MARKETS_MENU_HOOK, OrganiserMenuItem
from markets.selectors import is_organiser
from vendors.menus import MY_SHOP_MENU_HOOK, VendorMenuItem

from . import dashboard_views, export_hooks, vendor_figures_views  # noqa: F401


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [
        path("reports/markets/", dashboard_views.dashboard_index,
             name="reports_dashboard_index"),
        path("reports/markets/<int:market_id>/", dashboard_views.market_dashboard,
             name="reports_market_dashboard"),
        path("reports/my-figures/", vendor_figures_views.my_figures_view,
             name="reports_my_figures"),
    ]


@hooks.register(MY_SHOP_MENU_HOOK)
def register_my_figures_menu_item():
    return VendorMenuItem(_("My figures"), reverse("reports_my_figures"),
                          icon_name="view", name="my-figures", order=5)


@hooks.register(MARKETS_MENU_HOOK)
def register_dashboards_menu_item():
    return OrganiserMenuItem(
        _("Dashboards"), reverse("reports_dashboard_index"),
        icon_name="view", name="dashboards", order=5,
    )


class OrganiserDashboardPanel(Component):
    name = "organiser_dashboard"
    order = 40
    template_name = "reports/dashboard/home_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {**dashboard_views.home_panel_context(self.user),
                "index_url": reverse("reports_dashboard_index")}


@hooks.register("construct_homepage_panels")
def add_organiser_dashboard(request, panels):
    if is_organiser(request.user):
        panels.insert(0, OrganiserDashboardPanel(request.user))

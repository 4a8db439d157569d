"""« Marchés » in the back office: what organisers need to run their markets."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from vendors.wagtail_hooks import OrganiserVendorViewSet

from . import admin_views
from .models import MarketParticipation

participation_policy = admin_views.ParticipationPermissionPolicy(MarketParticipation)
register_permission_policy(MarketParticipation, participation_policy)


class ApplicationViewSet(ModelViewSet):
    model = MarketParticipation
    icon = "group"
    menu_label = _("Applications")
    name = "applications"
    url_prefix = "markets/applications"
    permission_policy = participation_policy
    index_view_class = admin_views.ParticipationIndexView
    edit_view_class = admin_views.ParticipationDecisionView
    inspect_view_class = admin_views.ParticipationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["state", "message"]
    list_filter = ["state", "market"]
    ordering = ["state", "-pk"]
    list_display = [
        "vendor",
        Column("market", label=_("Market"), accessor=lambda p: p.market.title),
        Column("legal_form", label=_("Legal form"),
               accessor=lambda p: p.vendor.get_legal_form_display()),
        Column("city", label=_("City"), accessor=lambda p: p.vendor.city),
        StatusTagColumn(
            "state", label=_("State"), accessor="get_state_display",
            primary=lambda p: p.state == MarketParticipation.State.APPROVED,
        ),
    ]
    inspect_view_fields = ["vendor", "market", "state", "message"]


class MarketsMenu(ViewSetGroup):
    menu_label = _("Markets")
    menu_icon = "calendar"
    menu_order = 120
    items = (ApplicationViewSet, OrganiserVendorViewSet)


@hooks.register("register_admin_viewset")
def register_markets_menu():
    return MarketsMenu()

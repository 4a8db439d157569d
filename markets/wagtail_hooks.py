"""« Marchés » in the back office: what organisers need to run their markets."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from vendors.menus import AudienceMenuGroupMixin
from vendors.models import Vendor
from vendors.permissions import ScopedViewSetMixin

from . import admin_views, slot_views, vendor_views
from .menus import MARKETS_MENU_HOOK, OrganiserPagesMenuItem, OrganiserSubmenuMenuItem
from .models import Market, MarketParticipation, PickupPoint, SolidarityProject
from .permissions import VendorOwnedPermissionPolicy
from .selectors import pages_in_reach
from .services import invitations_send, organiser_vendor_photos_sync

participation_policy = admin_views.ParticipationPermissionPolicy(MarketParticipation)
register_permission_policy(MarketParticipation, participation_policy)
vendor_policy = VendorOwnedPermissionPolicy(Vendor, vendor_path="")
register_permission_policy(Vendor, vendor_policy)


class ApplicationViewSet(ScopedViewSetMixin, ModelViewSet):
    model = MarketParticipation
    icon = "group"
    menu_label = _("Applications")
    menu_name = "applications"
    name = "applications"
    url_prefix = "markets/applications"
    permission_policy = participation_policy
    index_view_class = admin_views.ParticipationIndexView
    edit_view_class = admin_views.ParticipationDecisionView
    inspect_view_class = admin_views.ParticipationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["state", "message"]
    filterset_class = admin_views.ParticipationFilterSet
    ordering = ["state", "-pk"]
    list_display = [
        "vendor",
        Column("market", label=_("Market"), accessor=lambda p: p.market.title),
        Column("legal_form", label=_("Legal form"),
               accessor=lambda p: p.vendor.get_legal_form_display()),
        Column("city", label=_("City"), accessor=lambda p: p.vendor.city),
        Column("commission", label=_("Commission"),
               accessor=admin_views.participation_commission_label),
        StatusTagColumn(
            "state", label=_("State"), accessor="get_state_display",
            primary=lambda p: p.state == MarketParticipation.State.APPROVED,
        ),
    ]
    inspect_view_fields = ["vendor", "market", "state", "commission_bps", "message"]


class OrganiserVendorViewSet(ScopedViewSetMixin, ModelViewSet):
    """The vendors taking part in an organiser's markets; « edit » is moderation."""

    model = Vendor
    icon = "group"
    menu_label = _("Vendors")
    menu_name = "vendors"
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
        "name", "legal_form", "siret", "rna", "is_professional", "vat_liable", "vat_number",
        "vat_rate_bps", "description",
        "ess_commitment", "email", "phone", "website", "address", "postcode", "city", "status",
        "ships", "shipping_fee_cents", "default_solidarity_bps", "created_at",
    ]


pickup_point_policy = admin_views.PickupPointPermissionPolicy(PickupPoint)
register_permission_policy(PickupPoint, pickup_point_policy)


class PickupPointViewSet(ScopedViewSetMixin, ModelViewSet):
    """Where shoppers collect their orders, market by market. Read here, written on the
    market page (see `PickupPointPermissionPolicy`)."""

    model = PickupPoint
    icon = "site"
    menu_label = _("Pick-up points")
    menu_name = "pickup-points"
    name = "pickup_points"
    url_prefix = "markets/pickup-points"
    permission_policy = pickup_point_policy
    index_view_class = admin_views.PickupPointIndexView
    inspect_view_class = admin_views.PickupPointInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["name"]
    filterset_class = admin_views.PickupPointFilterSet
    search_fields = ["name", "address", "city"]
    search_backend_name = None
    ordering = ["market", "sort_order", "name"]
    list_display = [
        TitleColumn("name", label=_("Name"),
                    get_url=lambda point: reverse("pickup_points:inspect", args=[point.pk])),
        TitleColumn("market", label=_("Market (edit its points)"),
                    accessor=lambda point: point.market.title,
                    get_url=lambda point: reverse("wagtailadmin_pages:edit",
                                                  args=[point.market_id])),
        Column("address", label=_("Address"),
               accessor=lambda point: f"{point.address}, {point.postcode} {point.city}"),
        TitleColumn("slots", label=_("Pick-up slots"), accessor=lambda point: _("Slots"),
                    get_url=lambda point: reverse("markets_pickup_point_slots",
                                                  args=[point.pk])),
    ]
    inspect_view_fields = ["market", "name", "address", "postcode", "city", "opening_hours"]


class MarketsMenu(AudienceMenuGroupMixin, ViewSetGroup):
    """« Marchés »: what an organiser runs. Payouts and the vendors' products join through
    `MARKETS_MENU_HOOK`."""

    menu_label = _("Markets")
    menu_name = "markets"
    menu_icon = "calendar"
    menu_order = 110
    submenu_hook = MARKETS_MENU_HOOK
    submenu_item_class = OrganiserSubmenuMenuItem
    items = (ApplicationViewSet, OrganiserVendorViewSet, PickupPointViewSet)

    def get_submenu_items(self):
        # The markets come first, then the applications, vendors and pick-up points.
        return [
            OrganiserPagesMenuItem(_("My markets"), record=Market, icon_name="calendar",
                                   name="my-markets", order=0),
            *super().get_submenu_items(),
            OrganiserPagesMenuItem(_("Solidarity projects"), record=SolidarityProject,
                                   icon_name="pick", name="projects", order=50),
        ]



@hooks.register("register_admin_viewset")
def register_markets_menu():
    return MarketsMenu()


@hooks.register("register_admin_urls")
def register_invitation_urls():
    return [path("invitations/<int:pk>/repondre/", vendor_views.invitation_answer_view,
                 name="markets_invitation_answer")]


@hooks.register("register_admin_urls")
def register_pickup_slot_urls():
    return [
        path("markets/pickup-points/<int:pk>/slots/", slot_views.point_slots_view,
             name="markets_pickup_point_slots"),
        path("markets/pickup-points/<int:pk>/slots/add/", slot_views.slots_generate_view,
             name="markets_pickup_slots_generate"),
        path("markets/pickup-slots/<int:pk>/capacity/", slot_views.slot_capacity_view,
             name="markets_pickup_slot_capacity"),
        path("markets/pickup-slots/<int:pk>/delete/", slot_views.slot_delete_view,
             name="markets_pickup_slot_delete"),
    ]


@hooks.register("after_publish_page")
def invite_the_vendors_added(request, page):
    """Vendors added to a market page are invited when the page is published: before,
    they are only in a draft."""
    if isinstance(page, Market):
        invitations_send(market=page)
        organiser_vendor_photos_sync(organiser=page.organiser)


@hooks.register("construct_page_chooser_queryset")
def choose_pages_in_reach(pages, request):
    """The page chooser lists the user's own spaces, not the other organisers'."""
    reach = pages_in_reach(request.user)
    return pages if reach is None else pages.filter(reach)

"""Back-office wiring for payments: Stripe Connect onboarding (vendors, projects and
organisers) and the organisers' view of the transfers owed to vendors, projects and
organisers."""

from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import include, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from markets.menus import MARKETS_MENU_HOOK, OrganiserMenuItem
from markets.models import SolidarityProject
from shop.money import format_cents
from shop.shoppers.privacy import SHOPPER_ERASURE_HOOK
from vendors.menus import MY_SHOP_MENU_HOOK, VendorMenuItem
from vendors.permissions import ScopedViewSetMixin

from . import admin_views, urls_connect
from .models import Transfer
from .privacy import payment_events_erase

transfer_policy = admin_views.TransferPermissionPolicy(Transfer)
register_permission_policy(Transfer, transfer_policy)


def _beneficiary(transfer: Transfer) -> str:
    if transfer.kind == Transfer.Kind.VENDOR:
        return transfer.order.vendor.name
    if transfer.kind == Transfer.Kind.ORGANISER:
        return transfer.organiser.name
    return transfer.project.title


class FailureColumn(Column):
    """Why Stripe refused a transfer, and for platform admins a button to try again."""

    cell_template_name = "payments/admin/transfer_failure_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        context["failed"] = instance.state == Transfer.State.FAILED
        if context["failed"] and admin_views.can_retry_transfers(request.user):
            context["retry_url"] = reverse("payouts:retry", args=[instance.pk])
            context["next_url"] = request.get_full_path()
            # Table cells are rendered from a plain dict, without the request's context.
            context["csrf_token"] = get_token(request)
        return context


class TransferViewSet(ScopedViewSetMixin, ModelViewSet):
    """« Versements en attente »: what is owed to each vendor and project, and whether it
    has gone."""

    model = Transfer
    icon = "resubmit"
    menu_label = _("Pending payouts")
    name = "payouts"
    url_prefix = "markets/payouts"
    permission_policy = transfer_policy
    index_view_class = admin_views.TransferIndexView
    inspect_view_enabled = False
    copy_view_enabled = False
    form_fields = ["state"]
    list_filter = ["state", "kind"]
    ordering = ["-created_at", "-pk"]
    list_display = [
        Column("beneficiary", label=_("Beneficiary"), accessor=_beneficiary),
        Column("amount", label=_("Amount"),
               accessor=lambda t: format_cents(t.amount_cents - t.reversed_cents,
                                               get_language() or "fr")),
        StatusTagColumn("state", label=_("State"), accessor="get_state_display",
                        primary=lambda t: t.state == Transfer.State.SENT),
        Column("checkout", label=_("Reference"), accessor=lambda t: t.checkout.reference),
        DateColumn("created_at", label=_("Created")),
        FailureColumn("failure_message", label=_("Problem")),
    ]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(),
                path("retry/<int:pk>/", admin_views.transfer_retry_view, name="retry")]


payouts_viewset = TransferViewSet()


@hooks.register("register_admin_viewset")
def register_payouts():
    return payouts_viewset


class PayoutsMenuItem(OrganiserMenuItem):
    def is_shown(self, request):
        return transfer_policy.user_has_permission(request.user, "view")


@hooks.register(MARKETS_MENU_HOOK)
def register_payouts_menu_item():
    return PayoutsMenuItem(
        _("Pending payouts"), reverse(payouts_viewset.get_url_name("index")),
        icon_name="resubmit", name="payouts", order=40,
    )


class PayoutAccountMenuItem(OrganiserMenuItem):
    """« Compte de versement »: where the organiser's commission is transferred (Stripe
    Connect only: with the demo gateway nothing is transferred)."""

    def is_shown(self, request):
        return bool(settings.STRIPE_SECRET_KEY) and super().is_shown(request)


@hooks.register(MARKETS_MENU_HOOK)
def register_payout_account_menu_item():
    return PayoutAccountMenuItem(
        _("Payout account"), reverse("payments_connect:organiser_accounts"),
        icon_name="resubmit", name="payout-account", order=45,
    )


@hooks.register(MY_SHOP_MENU_HOOK)
def register_my_payouts_menu_item():
    """A vendor's payouts: its Stripe account, on « Ma structure »."""
    return VendorMenuItem(
        _("My payouts"), reverse("vendors_my_vendor") + "#payouts", icon_name="resubmit",
        name="my-payouts", order=4,
    )


@hooks.register("register_admin_urls")
def register_connect_urls():
    return [path("payouts/connect/", include(urls_connect, namespace="payments_connect"))]


@hooks.register("register_page_header_buttons")
def project_payout_button(page, user, view_name, next_url=None):
    """A solidarity project's payout account, from its page in the editor."""
    is_project = issubclass(page.specific_class or object, SolidarityProject)
    if not settings.STRIPE_SECRET_KEY or not is_project:
        return
    if not page.permissions_for_user(user).can_edit():
        return
    yield Button(_("Payout account"), reverse("payments_connect:project_onboard",
                                              args=[page.pk]),
                 icon_name="resubmit", priority=80)


@hooks.register(SHOPPER_ERASURE_HOOK)
def erase_payment_events(*, checkout_ids):
    return payment_events_erase(checkout_ids=checkout_ids)

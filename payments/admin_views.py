"""Back office: the transfers organisers follow, scoped to their own markets, and the
platform admins' retry of a transfer Stripe refused."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from wagtail.admin.views import generic

from config.http import redirect_back
from markets.selectors import is_organiser, market_ids_for_organiser_user
from vendors.permissions import ScopedPermissionPolicy

from .models import Transfer
from .selectors import commission_payable
from .transfers import transfer_retry


class TransferPermissionPolicy(ScopedPermissionPolicy):
    """Organisers look at the transfers of their markets' checkouts, platform admins at
    all of them; nobody edits a transfer by hand (platform admins have a refused one
    tried again, `transfer_retry_view`)."""

    def user_has_permission(self, user, action):
        return action in {"view", "inspect"} and user.is_active and is_organiser(user)

    def scope_filter(self, user, actions=()) -> Q | None:
        market_ids = market_ids_for_organiser_user(user)
        return None if market_ids is None else Q(checkout__market_id__in=market_ids)


class TransferIndexView(generic.IndexView):
    page_title = gettext_lazy("Pending payouts")
    template_name = "payments/admin/payouts_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["commission_payable"] = commission_payable(user=self.request.user)
        return context

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related(
            "checkout", "order__vendor", "project", "organiser"
        )
        allowed = self.permission_policy.scope_filter(self.request.user)
        return queryset if allowed is None else queryset.filter(allowed)


def can_retry_transfers(user) -> bool:
    """Sending money again is the platform's call, not the organisers'."""
    return user.is_active and user.is_superuser


@require_POST
def transfer_retry_view(request, pk):
    if not can_retry_transfers(request.user):
        # A 403, not the admin's redirect to its home page with a message.
        return permission_denied(request, PermissionDenied())
    transfer = get_object_or_404(Transfer, pk=pk)
    if transfer.state != Transfer.State.FAILED:
        messages.warning(request, _("Only a failed transfer can be tried again."))
    else:
        transfer_retry(transfer=transfer)
        messages.success(request, _("The transfer of %(reference)s will be tried again "
                                    "within a minute.") % {
            "reference": transfer.checkout.reference})
    return redirect_back(request, "payouts:index")

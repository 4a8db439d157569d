"""Back office: the transfers organisers follow, scoped to their own markets."""

from django.db.models import Q
from django.utils.translation import gettext_lazy
from wagtail.admin.views import generic

from vendors.permissions import ScopedPermissionPolicy
from vendors.selectors import is_organiser, market_ids_for_organiser_user


class TransferPermissionPolicy(ScopedPermissionPolicy):
    """Organisers look at the transfers of their markets' checkouts, platform admins at
    all of them; nobody changes a transfer by hand."""

    def user_has_permission(self, user, action):
        return action in {"view", "inspect"} and user.is_active and is_organiser(user)

    def scope_filter(self, user, actions=()) -> Q | None:
        market_ids = market_ids_for_organiser_user(user)
        return None if market_ids is None else Q(checkout__market_id__in=market_ids)


class TransferIndexView(generic.IndexView):
    page_title = gettext_lazy("Pending payouts")

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related(
            "checkout", "order__vendor", "project"
        )
        allowed = self.permission_policy.scope_filter(self.request.user)
        return queryset if allowed is None else queryset.filter(allowed)

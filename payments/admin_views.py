"""Back office: the transfers organisers follow, scoped to their own markets."""

from django.db.models import Q
from django.utils.translation import gettext_lazy
from wagtail.admin.views import generic
from wagtail.permission_policies.base import ModelPermissionPolicy

from vendors.selectors import is_organiser, market_ids_for_organiser_user


class TransferPermissionPolicy(ModelPermissionPolicy):
    """Organisers look at the transfers of their markets' checkouts, platform admins at
    all of them; nobody changes a transfer by hand."""

    def user_has_permission(self, user, action):
        return action in {"view", "inspect"} and user.is_active and is_organiser(user)

    def scope_filter(self, user) -> Q | None:
        market_ids = market_ids_for_organiser_user(user)
        return None if market_ids is None else Q(checkout__market_id__in=market_ids)

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        if not any(self.user_has_permission(user, action) for action in actions):
            return manager.none()
        allowed = self.scope_filter(user)
        return manager.all() if allowed is None else manager.filter(allowed)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.instances_user_has_any_permission_for(user, actions).filter(
            pk=instance.pk
        ).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)


class TransferIndexView(generic.IndexView):
    page_title = gettext_lazy("Pending payouts")

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related(
            "checkout", "order__vendor", "project"
        )
        allowed = self.permission_policy.scope_filter(self.request.user)
        return queryset if allowed is None else queryset.filter(allowed)

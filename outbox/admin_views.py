"""The follow-up tasks, for platform admins only: what is waiting, what failed and why,
and a button to give a task that was given up a new series of attempts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from wagtail.permission_policies import ModelPermissionPolicy

from config.http import redirect_back

from .models import OutboxMessage
from .services import outbox_retry


class PlatformAdminsOnly(ModelPermissionPolicy):
    """Follow-up tasks name every checkout, order and transfer of the platform: only
    superusers see them, whatever permissions a group was given."""

    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(actions).filter(is_superuser=True)


@require_POST
def message_retry_view(request, pk):
    if not (request.user.is_active and request.user.is_superuser):
        return permission_denied(request, PermissionDenied())
    message = get_object_or_404(OutboxMessage, pk=pk)
    if message.done_at is not None:
        messages.warning(request, _("This task is already done."))
    else:
        outbox_retry(message=message)
        messages.success(request, _("The task will be tried again within a minute."))
    return redirect_back(request, "outbox:index")

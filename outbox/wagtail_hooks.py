"""Back-office wiring of the follow-up tasks (platform admins only)."""

from django.db.models import Case, IntegerField, Value, When
from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from . import admin_views
from .models import OutboxMessage

policy = admin_views.PlatformAdminsOnly(OutboxMessage)
register_permission_policy(OutboxMessage, policy)


def _state(message: OutboxMessage) -> str:
    if message.done_at:
        return _("Done")
    if message.given_up_at:
        return _("Given up")
    return _("Waiting") if not message.attempts else _("Failed, will be retried")


class RetryColumn(Column):
    cell_template_name = "outbox/retry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        if instance.done_at is None and instance.given_up_at is not None:
            context["retry_url"] = reverse("outbox:retry", args=[instance.pk])
            context["next_url"] = request.get_full_path()
            # Table cells are rendered from a plain dict, without the request's context.
            context["csrf_token"] = get_token(request)
        return context


class OutboxMessageViewSet(ModelViewSet):
    """« Tâches de suivi »: e-mails, refunds and transfers that run after a payment."""

    model = OutboxMessage
    icon = "tasks"
    menu_label = _("Follow-up tasks")
    menu_order = 950
    add_to_settings_menu = True
    name = "outbox"
    url_prefix = "outbox"
    permission_policy = policy
    inspect_view_enabled = True
    copy_view_enabled = False
    create_view_enabled = False
    form_fields = ["available_at"]
    list_filter = ["task"]
    search_fields = ["key", "task"]
    list_display = [
        Column("task", label=_("Task")),
        Column("key", label=_("Key")),
        StatusTagColumn("state", label=_("State"), accessor=_state,
                        primary=lambda m: m.done_at is not None),
        Column("attempts", label=_("Attempts")),
        DateColumn("available_at", label=_("Next attempt")),
        RetryColumn("last_error", label=_("Last error")),
    ]

    def get_queryset(self, request):
        # What needs a look first: given up, then failing, then waiting, then done.
        return OutboxMessage.objects.annotate(rank=Case(
            When(done_at__isnull=False, then=Value(3)),
            When(given_up_at__isnull=False, then=Value(0)),
            When(attempts__gt=0, then=Value(1)),
            default=Value(2), output_field=IntegerField(),
        )).order_by("rank", "-available_at", "-pk")

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(),
                path("retry/<int:pk>/", admin_views.message_retry_view, name="retry")]


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxMessageViewSet()

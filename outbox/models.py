"""Work that must happen after a transaction commits (an e-mail, a transfer, a refund at
the gateway), recorded in that same transaction so that a crashed worker or a broker
outage delays it but never loses it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One Celery task to run to completion, once: named by `task` (its registered name,
    so that a low app can ask for the work of a higher one) and identified by `key`, so
    that asking twice for the same work records it once."""

    key = models.CharField(max_length=200, unique=True)
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    available_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)
    given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["available_at", "pk"]
        indexes = [
            models.Index(fields=["available_at"], condition=models.Q(done_at__isnull=True,
                                                                      given_up_at__isnull=True),
                         name="outbox_due"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{self.args} ({self.key})"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """What a market sold and where the money went: the organiser's dashboard, the
    exports and statements, and the public transparency figures, all read from the
    ledger."""

    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

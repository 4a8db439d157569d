"""What the reports app stores: the export files organisers and vendors ask for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportExport(models.Model):
    """One export of a market's figures, built in the background and downloaded from the
    back office. A vendor's export is limited to `vendor`."""

    class Kind(models.TextChoices):
        ORDERS = "orders", _("Orders")
        ORDER_LINES = "order_lines", _("Order lines")
        VENDOR_STATEMENT = "vendor_statement", _("Payout statement per vendor")
        PROJECT_STATEMENT = "project_statement", _("Statement per solidarity project")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV (Excel, LibreOffice)")
        XLSX = "xlsx", _("Excel workbook (XLSX)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE,
                               related_name="report_exports", verbose_name=_("market"))
    vendor = models.ForeignKey("vendors.Vendor", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="report_exports",
                               verbose_name=_("vendor"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # A name in the private storage (PRIVATE_MEDIA_ROOT), never under the public media URL.
    file_name = models.CharField(max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.format}) #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

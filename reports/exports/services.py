"""Writes on exports: queue one, build it (from the Celery task), and record how it ends."""

import logging
import os

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from config.tasks import enqueue

from ..models import ReportExport
from .rows import export_table
from .storage import private_storage
from .writers import WRITERS

logger = logging.getLogger(__name__)

VENDOR_KINDS = (ReportExport.Kind.ORDERS, ReportExport.Kind.ORDER_LINES,
                ReportExport.Kind.VENDOR_STATEMENT)


class ExportNotAllowed(ValueError):
    """A vendor's export may only be of its own orders and statement."""


def export_request(*, user, market, kind: str, format: str, vendor=None) -> ReportExport:
    """Record the export and build it in the background once the request has committed.
    `vendor` limits it to that vendor's orders (a vendor's own export)."""
    if vendor is not None and kind not in VENDOR_KINDS:
        raise ExportNotAllowed(kind)
    export = ReportExport.objects.create(market=market, vendor=vendor, kind=kind,
                                         format=format, requested_by=user)
    from .. import tasks

    transaction.on_commit(lambda: enqueue(tasks.build_report_export, export.pk))
    return export


def export_file_name(export: ReportExport) -> str:
    """The name the download gets: market, vendor if any, kind, number."""
    parts = [export.market.slug]
    if export.vendor_id:
        parts.append(export.vendor.slug)
    parts += [slugify(export.get_kind_display()), str(export.pk)]
    return f"{'-'.join(parts)}.{export.format}"


def _claim(export_id: int) -> bool:
    """Mark the export running unless it is already done or failed: a task delivered
    twice (acks late, a worker lost) builds it again from the start, never after it ended."""
    return bool(
        ReportExport.objects.filter(
            pk=export_id, state__in=(ReportExport.State.QUEUED, ReportExport.State.RUNNING)
        ).update(state=ReportExport.State.RUNNING, started_at=timezone.now(), progress=0)
    )


def export_build(*, export_id: int) -> str:
    """Write the export's file in the private storage, recording progress as it goes.
    Returns the state it ends in."""
    if not _claim(export_id):
        return "skipped"
    export = ReportExport.objects.select_related("market", "vendor").get(pk=export_id)
    try:
        name = _write(export)
    except Exception as exc:
        logger.exception("export %s failed", export_id)
        ReportExport.objects.filter(pk=export_id).update(
            state=ReportExport.State.FAILED, finished_at=timezone.now(),
            error=_("The export could not be built (%(error)s). Please ask for it again; "
                    "if it fails again, contact the platform.") % {
                        "error": f"{type(exc).__name__}: {exc}"[:500]},
        )
        return ReportExport.State.FAILED
    ReportExport.objects.filter(pk=export_id).update(
        state=ReportExport.State.DONE, progress=100, file_name=name,
        finished_at=timezone.now(), error="",
    )
    return ReportExport.State.DONE


def _write(export: ReportExport) -> str:
    table = export_table(export)
    storage = private_storage()
    name = f"exports/{export.pk}/{export_file_name(export)}"
    path = storage.path(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = f"{path}.partial"

    def progress(written: int) -> None:
        ReportExport.objects.filter(pk=export.pk).update(
            progress=min(99, written * 100 // max(table.count, 1)), row_count=written)

    try:
        WRITERS[export.format](table, partial, progress)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return name

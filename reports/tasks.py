"""Background work of the reports app."""

from celery import shared_task

from .exports.services import export_build


@shared_task(acks_late=True)
def build_report_export(export_id: int) -> str:
    """Build one export; safe to run twice (see `export_build`)."""
    return export_build(export_id=export_id)

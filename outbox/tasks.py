"""The outbox's worker side: run one message, and the periodic sweep."""

from celery import shared_task

from .services import outbox_run, outbox_sweep


@shared_task(acks_late=True)
def run_message(message_pk: int) -> str:
    return outbox_run(message_pk=message_pk)


@shared_task(acks_late=True)
def sweep() -> dict:
    return outbox_sweep()

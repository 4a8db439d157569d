"""Record follow-up work in the caller's transaction, hand it to a worker once committed,
and drive whatever is left to the end from a periodic sweep.

A message runs under its own row lock (`skip_locked`), so the worker and the sweep never
run the same message at once; the tasks it names are safe to run twice anyway (a crash
after the work but before the mark runs it again), and each carries its own idempotency
(a flag on the row it updates, or the gateway's idempotency key).
"""

import logging
from datetime import timedelta
from importlib import import_module

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.tasks import enqueue

from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
# What a task returns when its work is not done yet but what it wrote must be kept (a
# transfer marked failed with Stripe's reason): it runs again after the usual delay.
RETRY_LATER = "outbox:retry-later"
FIRST_RETRY_SECONDS = 30
LONGEST_WAIT_SECONDS = 3600


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … up to an hour between attempts."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0),
                                 LONGEST_WAIT_SECONDS))


def outbox_add(*, task: str, args: list, key: str, now=None) -> OutboxMessage:
    """Record that `task(*args)` must run once the current transaction commits. The same
    `key` twice records it once."""
    message, created = OutboxMessage.objects.get_or_create(
        key=key, defaults={"task": task, "args": list(args),
                           "available_at": now or timezone.now()},
    )
    if created:
        transaction.on_commit(lambda: outbox_dispatch(message_pk=message.pk), robust=True)
    return message


def outbox_dispatch(*, message_pk: int) -> None:
    """Hand the message to a worker. When the broker cannot be reached the message stays
    due, and the sweep runs it once the broker is back: the caller never fails, nor waits,
    for it (`enqueue` stores no result, whose store would be retried for twenty seconds
    when Redis is down)."""
    from .tasks import run_message

    if settings.CELERY_TASK_ALWAYS_EAGER:
        outbox_run(message_pk=message_pk)
        return
    if enqueue(run_message, message_pk) is None:
        logger.warning("outbox: message %s left to the sweep", message_pk)


def outbox_run(*, message_pk: int, now=None) -> str:
    """Run one message if it is due and nobody else is running it; record the outcome."""
    with transaction.atomic():
        message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                   .filter(pk=message_pk).first())
        if message is None:
            return "busy"
        if message.done_at or message.given_up_at:
            return "done"
        message.attempts += 1
        try:
            with transaction.atomic():
                outcome = _task(message.task)(*message.args)
        except Exception as error:  # noqa: BLE001 - recorded, retried later
            return _failed(message, f"{type(error).__name__}: {error}",
                           now=now or timezone.now())
        if isinstance(outcome, str) and outcome.startswith(RETRY_LATER):
            return _failed(message, outcome.removeprefix(RETRY_LATER).strip(": "),
                           now=now or timezone.now())
        message.done_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "done_at", "last_error"])
        return "done"


def _task(name: str):
    """The registered task `name`, importing its module first (a worker or a request may
    not have loaded it yet)."""
    import_module(name.rsplit(".", 1)[0])
    return current_app.tasks[name]


def _failed(message: OutboxMessage, error: str, *, now) -> str:
    message.last_error = error[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.given_up_at = now
        logger.error("outbox: gave up %s after %s attempts: %s", message, message.attempts,
                     message.last_error)
    else:
        message.available_at = now + retry_delay(message.attempts)
        logger.warning("outbox: %s failed (attempt %s): %s", message, message.attempts,
                       message.last_error)
    message.save(update_fields=["attempts", "last_error", "available_at", "given_up_at"])
    return "failed"


def outbox_due(*, now=None, limit: int = 200) -> list[int]:
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(done_at__isnull=True, given_up_at__isnull=True,
                                     available_at__lte=now)
        .order_by("available_at", "pk").values_list("pk", flat=True)[:limit]
    )


def outbox_sweep(*, now=None, limit: int = 200) -> dict[str, int]:
    """Run every message that is due: those whose worker crashed or whose broker was down,
    and those waiting for their next attempt."""
    outcomes: dict[str, int] = {}
    for pk in outbox_due(now=now, limit=limit):
        outcome = outbox_run(message_pk=pk, now=now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@transaction.atomic
def outbox_retry(*, message: OutboxMessage) -> OutboxMessage:
    """Give a message that was given up a new series of attempts (from the back office)."""
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.done_at is None:
        message.given_up_at = None
        message.attempts = 0
        message.available_at = timezone.now()
        message.save(update_fields=["given_up_at", "attempts", "available_at"])
        transaction.on_commit(lambda: outbox_dispatch(message_pk=message.pk), robust=True)
    return message

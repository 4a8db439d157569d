"""Queue a Celery task from a page or a service without letting a broker outage fail it."""

import logging

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs):
    """Queue `task(*args, **kwargs)` and return its AsyncResult, or log and return None
    when the broker cannot take it: for follow-ups (an e-mail) the caller must not fail
    for, once its own work is committed.

    The broker connection is tried once, not through kombu's retry loop (seconds of
    sleep per call on a dead broker), and the result is not stored since nobody waits
    for it (subscribing to a dead result store retries for about twenty seconds).
    In eager mode (tests, the demo) the task runs at once, as with `delay`."""
    app = task.app
    if app.conf.task_always_eager:
        return task.delay(*args, **kwargs)
    try:
        with app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=0)
            return task.apply_async(args, kwargs, producer=producer, retry=False,
                                    ignore_result=True)
    except Exception as error:  # noqa: BLE001 - whatever the broker raised, the page goes on
        logger.warning("Task %s not queued, the broker cannot be reached: %s",
                       task.name, error)
        return None

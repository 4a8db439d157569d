"""Side effects of the payments, run by Celery after the transaction that decided them."""

import stripe
from celery import shared_task
from django.db import OperationalError

RETRY = {
    "autoretry_for": (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError,
                      ConnectionError, TimeoutError, OperationalError),
    "retry_backoff": True,
    "max_retries": 8,
}


@shared_task(**RETRY)
def process_webhook_event(event_pk: int) -> str:
    """Act on a stored Stripe event. Safe to run twice: a processed event is skipped."""
    from .webhook_handlers import webhook_event_process

    return webhook_event_process(event_pk=event_pk)

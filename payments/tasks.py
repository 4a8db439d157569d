"""Side effects of the payments, run by Celery (through the outbox) after the transaction
that decided them. Each is safe to run twice."""

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


@shared_task
def execute_refund(refund_pk: int) -> str:
    """Make a recorded refund at the gateway (same idempotency key on every run)."""
    from .services import refund_execute

    return refund_execute(refund_pk=refund_pk).state


@shared_task
def cancel_payment(payment_pk: int) -> str:
    """Cancel a PaymentIntent that a newer one replaced. If the shopper confirmed it
    meanwhile, it is settled like any succeeded payment (refunded as stale)."""
    from .recovery import payment_cancel

    return payment_cancel(payment_pk=payment_pk)


@shared_task(acks_late=True)
def recover_payments() -> dict:
    """Ask the gateway about payments whose verdict never reached us (a lost webhook)."""
    from .recovery import payments_recover

    return payments_recover()


# Acknowledged on receipt: it may outlast the broker's visibility timeout (five minutes),
# after which an unacknowledged task is handed to a second worker and mailed twice.
@shared_task
def reconcile_nightly() -> int:
    """List what differs between Stripe and us and e-mail it to the platform admins."""
    from .reconcile import reconciliation_report

    return reconciliation_report()


@shared_task
def send_payment_failed_email(payment_pk: int) -> int:
    from .webhook_handlers import payment_failed_email_send

    return payment_failed_email_send(payment_pk=payment_pk)


@shared_task
def send_dispute_email(payment_pk: int, dispute_id: str, reason: str, amount_cents: int) -> int:
    from .webhook_handlers import dispute_email_send

    return dispute_email_send(payment_pk=payment_pk, dispute_id=dispute_id, reason=reason,
                              amount_cents=amount_cents)

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
    from .refunds import refund_execute

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


@shared_task(acks_late=True)
def send_transfer(transfer_pk: int) -> str:
    """Run by the outbox until the transfer is sent (or waits for its beneficiary's
    account): a refused transfer stays marked failed and is tried again later."""
    from outbox.services import RETRY_LATER

    from .models import Transfer
    from .transfer_sending import transfer_send

    transfer = transfer_send(transfer_pk=transfer_pk, retry_failed=True)
    if transfer.state == Transfer.State.FAILED:
        return f"{RETRY_LATER}: transfer {transfer.pk}: {transfer.failure_message}"
    return transfer.state


@shared_task(acks_late=True)
def adjust_transfers(order_pk: int, amount_cents: int) -> str:
    """Take back from the beneficiaries what a committed refund of the order's units no
    longer owes them."""
    from shop.models import Order

    from .transfers import transfer_adjust_for_refund

    transfer = transfer_adjust_for_refund(order=Order.objects.get(pk=order_pk),
                                          amount_cents=amount_cents)
    return transfer.state if transfer else "no vendor transfer"


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

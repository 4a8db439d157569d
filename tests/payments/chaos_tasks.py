"""The worker side of `test_chaos`: loaded by the worker it starts (`celery worker -I`).

A demo payment completes in the request that takes the card, so it never goes through the
outbox; this task completes it from the outbox, as a Stripe webhook does
(`payments.tasks.process_webhook_event`), without a Stripe server to re-fetch it from."""

from celery import shared_task

COMPLETE_PAYMENT = "tests.payments.chaos_tasks.complete_payment"


@shared_task(name=COMPLETE_PAYMENT)
def complete_payment(payment_pk: int) -> str:
    from payments.models import Payment
    from payments.services import payment_succeeded

    result = payment_succeeded(payment=Payment.objects.get(pk=payment_pk))
    return "already completed" if result.already_completed else "completed"

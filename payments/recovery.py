"""What the gateway knows and we may not: a webhook that never came, a PaymentIntent a
newer one replaced. The return page, the outbox and a periodic task ask the gateway and
settle the payment through the same idempotent services as the webhooks."""

import logging
from datetime import timedelta

import stripe
from django.utils import timezone

from .gateways import get_gateway
from .models import Payment
from .services import payment_succeeded

logger = logging.getLogger(__name__)

# Payments whose verdict we still wait for are asked about from this age (the webhook
# normally arrives within seconds) until this one (the nightly reconciliation lists
# whatever is older).
RECOVER_AFTER = timedelta(minutes=2)
RECOVER_UNTIL = timedelta(hours=3)


def payment_settle(*, payment: Payment) -> str:
    """Ask the gateway where `payment` stands and complete the checkout if it succeeded.
    Returns the gateway's status ("" when the gateway cannot say)."""
    status = get_gateway(payment.gateway).remote_status(payment=payment)
    if status == "succeeded":
        payment_succeeded(payment=payment)
    return status


def payment_cancel(*, payment_pk: int) -> str:
    payment = Payment.objects.select_related("checkout").get(pk=payment_pk)
    try:
        status = get_gateway(payment.gateway).cancel(payment=payment)
    except stripe.InvalidRequestError as error:
        logger.warning("payment %s could not be cancelled: %s", payment.pk, error)
        return "not cancelled"
    if status == "succeeded":
        payment_succeeded(payment=payment)
    return status


def payments_recover(*, now=None) -> dict[str, int]:
    """Settle the recent payments whose webhook has not been processed."""
    now = now or timezone.now()
    payments = Payment.objects.filter(
        state__in=Payment.UNSETTLED, created_at__lte=now - RECOVER_AFTER,
        created_at__gte=now - RECOVER_UNTIL,
    ).exclude(external_id="").select_related("checkout").order_by("pk")
    statuses: dict[str, int] = {}
    for payment in payments:
        if not get_gateway(payment.gateway).cancels_remotely:
            continue
        try:
            status = payment_settle(payment=payment)
        except stripe.StripeError as error:
            logger.warning("payment %s could not be checked: %s", payment.pk, error)
            status = "error"
        statuses[status] = statuses.get(status, 0) + 1
    return statuses

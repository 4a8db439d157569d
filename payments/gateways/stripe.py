"""The Stripe gateway: one PaymentIntent on the platform for the checkout total, the card
collected by Stripe's Payment Element, the verdict brought by the webhook.

Every call carries an idempotency key built from our ids, so that a retried request
never charges or refunds twice.
"""

import stripe
from django.conf import settings
from django.urls import reverse

from payments.models import Payment, Refund
from payments.stripe_client import stripe_client

from .base import PaymentGateway

PAYMENT_INTENT_REUSABLE = ("requires_payment_method", "requires_confirmation",
                           "requires_action")
PAYMENT_INTENT_FAILED = ("canceled",)
REFUND_STATES = {
    "succeeded": Refund.State.SUCCEEDED,
    "failed": Refund.State.FAILED,
    "canceled": Refund.State.FAILED,
}


def object_id(value) -> str:
    """The id of a field Stripe returns either as an id or expanded as an object (the
    test double expands `latest_charge`)."""
    if value is None or isinstance(value, str):
        return value or ""
    return value["id"]


def payment_intent_params(checkout) -> dict:
    """Extra PaymentIntent parameters from `STRIPE_PAYMENT_INTENT_PARAMS`, where the text
    "{checkout_reference}" stands for the checkout's reference. Tests against localstripe
    set it to {} because the double rejects every parameter it does not know."""
    return {
        name: value.replace("{checkout_reference}", checkout.reference)
        if isinstance(value, str) else value
        for name, value in settings.STRIPE_PAYMENT_INTENT_PARAMS.items()
    }


class StripeGateway(PaymentGateway):
    name = "stripe"
    template_name = "payments/includes/stripe_payment_element.html"
    # Added to the payment page's Content-Security-Policy only (Stripe.js, its frames
    # and its API); every other page keeps 'self'.
    content_security_policy = {
        "script-src": ["https://js.stripe.com"],
        "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
        "connect-src": ["https://api.stripe.com"],
    }

    def __init__(self, *, http_client: stripe.HTTPClient | None = None):
        self.client = stripe_client(http_client=http_client)

    refunds_remotely = True
    cancels_remotely = True

    def open(self, *, payment: Payment) -> str:
        checkout = payment.checkout
        intent = self.client.v1.payment_intents.create(
            params={
                "amount": payment.amount_cents,
                "currency": "eur",
                "metadata": {"checkout_reference": checkout.reference,
                             "checkout_id": str(checkout.pk), "payment_id": str(payment.pk)},
                **payment_intent_params(checkout),
            },
            options={"idempotency_key": f"pi-{checkout.reference}-{payment.pk}"},
        )
        return intent.id

    def cancel(self, *, payment: Payment) -> str:
        """Cancel the PaymentIntent; one that succeeded meanwhile cannot be, and its status
        is returned for the caller to settle."""
        intent = self.retrieve(payment)
        if intent.status in PAYMENT_INTENT_REUSABLE:
            intent = self.client.v1.payment_intents.cancel(
                payment.external_id, options={"idempotency_key": f"pi-cancel-{payment.pk}"},
            )
        return intent.status

    def remote_status(self, *, payment: Payment) -> str:
        if not payment.external_id:
            return ""
        return self.retrieve(payment).status

    def retrieve(self, payment: Payment):
        return self.client.v1.payment_intents.retrieve(payment.external_id)

    def page_context(self, *, payment: Payment, request) -> dict:
        intent = self.retrieve(payment)
        return_url = request.build_absolute_uri(
            reverse("payments:return", args=[payment.checkout.reference])
        )
        return {
            "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "stripe_client_secret": intent.client_secret,
            "stripe_return_url": return_url,
        }

    def handle_return(self, *, payment: Payment, request) -> str:
        if payment.state != Payment.State.CREATED:
            return payment.state
        try:
            intent = self.retrieve(payment)
        except stripe.StripeError:
            return payment.state
        if intent.status == "succeeded":
            return Payment.State.SUCCEEDED
        if intent.status in PAYMENT_INTENT_FAILED or (
            intent.status == "requires_payment_method"
            and getattr(intent, "last_payment_error", None)
        ):
            return Payment.State.FAILED
        return Payment.State.CREATED

    def execute_refund(self, *, refund: Refund) -> Refund:
        """Connection errors and rate limits propagate (the outbox retries with the same
        key); a refund Stripe refuses is marked failed with its reason."""
        payment = refund.payment
        try:
            stripe_refund = self.client.v1.refunds.create(
                params={
                    "payment_intent": payment.external_id,
                    "amount": refund.amount_cents,
                    "metadata": {"checkout_reference": payment.checkout.reference,
                                 "refund_id": str(refund.pk)},
                },
                options={"idempotency_key": refund.idempotency_key or f"refund-{refund.pk}"},
            )
        except stripe.InvalidRequestError as error:
            refund.state = Refund.State.FAILED
            refund.failure_message = str(error.user_message or error)[:255]
            refund.save(update_fields=["state", "failure_message"])
            return refund
        refund.external_id = stripe_refund.id
        refund.state = REFUND_STATES.get(stripe_refund.status, Refund.State.PENDING)
        refund.save(update_fields=["external_id", "state"])
        return refund

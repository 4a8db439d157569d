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

    def start(self, *, checkout) -> Payment:
        earlier = Payment.objects.filter(checkout=checkout, gateway=self.name)
        for payment in earlier.filter(state=Payment.State.FAILED,
                                      amount_cents=checkout.total_cents).order_by("-pk"):
            if self.retrieve(payment).status in PAYMENT_INTENT_REUSABLE:
                Payment.objects.filter(pk=payment.pk).update(
                    state=Payment.State.CREATED, failure_message=""
                )
                payment.refresh_from_db()
                return payment
        key = f"pi-{checkout.reference}-{checkout.total_cents}"
        attempts = earlier.count()
        if attempts:
            # Stripe replays a key for 24 hours: a new attempt needs its own.
            key = f"{key}-{attempts}"
        intent = self.client.v1.payment_intents.create(
            params={
                "amount": checkout.total_cents,
                "currency": "eur",
                "metadata": {"checkout_reference": checkout.reference,
                             "checkout_id": str(checkout.pk)},
                **payment_intent_params(checkout),
            },
            options={"idempotency_key": key},
        )
        payment, _ = Payment.objects.get_or_create(
            gateway=self.name, external_id=intent.id,
            defaults={"checkout": checkout, "amount_cents": checkout.total_cents},
        )
        return payment

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

    def refund(
        self, *, payment: Payment, order, amount_cents: int,
        reason: str = Refund.Reason.CANCELLED,
    ) -> Refund:
        row = Refund.objects.create(payment=payment, order=order, reason=reason,
                                    amount_cents=amount_cents)
        order_key = order.pk if order is not None else "all"
        try:
            stripe_refund = self.client.v1.refunds.create(
                params={
                    "payment_intent": payment.external_id,
                    "amount": amount_cents,
                    "metadata": {"checkout_reference": payment.checkout.reference,
                                 "refund_id": str(row.pk)},
                },
                options={"idempotency_key": f"refund-{order_key}-{row.pk}"},
            )
        except stripe.InvalidRequestError:
            row.state = Refund.State.FAILED
            row.save(update_fields=["state"])
            return row
        row.external_id = stripe_refund.id
        row.state = REFUND_STATES.get(stripe_refund.status, Refund.State.PENDING)
        row.save(update_fields=["external_id", "state"])
        return row

"""The small interface every payment gateway implements.

It follows Stripe's PaymentIntent flow with separate charges and transfers: `open`
creates one charge for the checkout total on the platform, the payment page collects
the card (on Stripe's side, or on our page for the demo), the shopper comes back to
`handle_return`, and vendor orders that cannot be honoured are refunded one by one.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass

from django import forms

from payments.models import Payment, Refund


@dataclass
class CardSubmission:
    """What a gateway that takes the card on our own page made of the posted form."""

    form: forms.Form
    succeeded: bool = False
    declined_message: str = ""


class PaymentGateway(ABC):
    name: str
    template_name: str
    # Whether refunds and cancellations are calls to a remote service, made by the outbox
    # after commit (Stripe), or bookkeeping done at once (the demo).
    refunds_remotely = False
    cancels_remotely = False

    @abstractmethod
    def open(self, *, payment: Payment) -> str:
        """Open the charge for `payment.amount_cents` at the gateway (a PaymentIntent for
        Stripe) and return its id. Called outside any lock, possibly twice for the same
        payment: it must return the same charge (an idempotency key from the payment)."""

    @abstractmethod
    def page_context(self, *, payment: Payment, request) -> dict:
        """What `template_name` needs to collect the card for `payment`."""

    @abstractmethod
    def handle_return(self, *, payment: Payment, request) -> str:
        """The payment's state (a `Payment.State`) once the shopper is back on our site.
        Completion itself is driven by `payments.services.payment_succeeded`."""

    @abstractmethod
    def execute_refund(self, *, refund: Refund) -> Refund:
        """Make the recorded `refund` at the gateway with `refund.idempotency_key`, and
        record its reference and state."""

    def remote_status(self, *, payment: Payment) -> str:
        """The charge's status at the gateway ("succeeded", ...), "" when it has none."""
        return ""

    def cancel(self, *, payment: Payment) -> str:
        """Cancel an open charge that a newer one replaced; returns its remote status."""
        return "canceled"

    def submit_card(self, *, payment: Payment, request) -> CardSubmission | None:
        """Gateways whose card form posts to our own page handle the post here; the others
        (Stripe) never receive card data and return None."""
        return None

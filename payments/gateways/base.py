"""The small interface every payment gateway implements.

It follows Stripe's PaymentIntent flow with separate charges and transfers: `start`
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

    @abstractmethod
    def start(self, *, checkout) -> Payment:
        """Create the payment for `checkout.total_cents` (a PaymentIntent for Stripe)."""

    @abstractmethod
    def page_context(self, *, payment: Payment, request) -> dict:
        """What `template_name` needs to collect the card for `payment`."""

    @abstractmethod
    def handle_return(self, *, payment: Payment, request) -> str:
        """The payment's state (a `Payment.State`) once the shopper is back on our site.
        Completion itself is driven by `payments.services.payment_succeeded`."""

    @abstractmethod
    def refund(
        self, *, payment: Payment, order, amount_cents: int,
        reason: str = Refund.Reason.CANCELLED,
    ) -> Refund:
        """Give `amount_cents` of `payment` back to the shopper, for `order` (None for the
        whole payment), and record it."""

    def submit_card(self, *, payment: Payment, request) -> CardSubmission | None:
        """Gateways whose card form posts to our own page handle the post here; the others
        (Stripe) never receive card data and return None."""
        return None

"""Which gateway takes the payments: Stripe when `STRIPE_SECRET_KEY` is set, the demo
otherwise."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import CardSubmission, PaymentGateway
from .demo import DemoGateway
from .stripe import StripeGateway

__all__ = ["CardSubmission", "PaymentGateway", "get_gateway"]


def get_gateway(name: str | None = None) -> PaymentGateway:
    """The gateway for new payments, or the one named (the gateway of an existing
    payment, for its refunds)."""
    if name is None:
        name = StripeGateway.name if settings.STRIPE_SECRET_KEY else DemoGateway.name
    if name == DemoGateway.name:
        return DemoGateway()
    if name == StripeGateway.name:
        return StripeGateway()
    raise ImproperlyConfigured(f"Unknown payment gateway {name!r}.")

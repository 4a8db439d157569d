"""One place that builds the Stripe client, so that tests can hand it a fake transport."""

import stripe
from django.conf import settings


def stripe_client(http_client: stripe.HTTPClient | None = None) -> stripe.StripeClient:
    """A client for the platform account, pointed at `STRIPE_API_BASE` when it is set
    (a local fake in development and tests)."""
    options = {}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    if http_client is not None:
        options["http_client"] = http_client
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **options)

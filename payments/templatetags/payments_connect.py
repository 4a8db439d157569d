"""What the back office templates need to know of Stripe Connect."""

from django import template
from django.conf import settings

from payments.connect import payout_account_status

register = template.Library()


@register.simple_tag
def stripe_connect_enabled() -> bool:
    """Payouts go through Stripe Connect (else the organisers pay the vendors themselves)."""
    return bool(settings.STRIPE_SECRET_KEY)


@register.simple_tag
def payout_status(beneficiary) -> str:
    """« not_opened », « incomplete » or « active » for a vendor, a project or an
    organiser."""
    return payout_account_status(beneficiary)

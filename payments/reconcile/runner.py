"""Run every check, and mail what differs to the platform admins."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from config.mail import send_templated_email
from shop.models import Checkout

from .. import stripe_client
from .charges import charged_without_order, paid_checkout, refunds_not_made
from .follow_ups import follow_ups_given_up
from .mismatch import Mismatch
from .transfers import transfers_missing, transfers_stuck


@dataclass
class Reconciliation:
    """How many paid checkouts were compared with Stripe, and every difference found."""

    checked: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)


class _Stripe:
    """The Stripe client, built on the first call: a run with no candidate asks
    nothing (and needs no key, with the demo gateway)."""

    def __init__(self):
        self._client = None

    def __getattr__(self, name):
        if self._client is None:
            self._client = stripe_client.stripe_client()
        return getattr(self._client, name)


def payments_reconcile(*, since: datetime | None = None, now: datetime | None = None
                       ) -> Reconciliation:
    """Every difference between Stripe and us, for what was paid, made or recorded from
    `since` (everything when None)."""
    now = now or timezone.now()
    client = _Stripe()
    result = Reconciliation()
    checkouts = Checkout.objects.filter(state=Checkout.State.PAID, gateway="stripe")
    if since:
        checkouts = checkouts.filter(paid_at__gte=since)
    for checkout in checkouts.order_by("paid_at", "pk").iterator(chunk_size=200):
        result.checked += 1
        result.mismatches += paid_checkout(checkout, client)
    for check in (charged_without_order, refunds_not_made, transfers_missing,
                  transfers_stuck, follow_ups_given_up):
        result.mismatches += check(since=since, now=now, client=client)
    return result


def reconciliation_report(*, now: datetime | None = None) -> int:
    """Run the reconciliation and, when anything differs, e-mail the list to every active
    platform admin. Returns the number of differences."""
    result = payments_reconcile(now=now)
    if result.mismatches:
        admins = get_user_model().objects.filter(is_superuser=True, is_active=True)
        send_templated_email(
            to=list(admins.exclude(email="").order_by("pk").values_list("email", flat=True)),
            template="payments/emails/reconciliation",
            context={"mismatches": result.mismatches, "checked": result.checked,
                     "count": len(result.mismatches)},
        )
    return len(result.mismatches)

"""A shopper's erasure, on the payments side: the copies of the payment provider's events
we keep may carry the card holder's name, e-mail, phone and address (a charge's billing
details, a receipt address). Once a checkout is anonymised these are blanked too; the
amounts, ids and states the reconciliation reads stay."""

from django.db.models import Q

from .models import Payment, WebhookEvent

PERSONAL_KEYS = frozenset({"billing_details", "receipt_email", "shipping", "customer_details"})


def scrubbed(value):
    """`value` with every personal key, at any depth, set to None."""
    if isinstance(value, dict):
        return {key: None if key in PERSONAL_KEYS else scrubbed(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return [scrubbed(item) for item in value]
    return value


def payment_events_erase(*, checkout_ids: list[int]) -> int:
    """Blank the personal details in the stored events of these checkouts' payments.
    Returns the number of events changed."""
    intents = list(Payment.objects.filter(checkout_id__in=checkout_ids).exclude(external_id="")
                   .values_list("external_id", flat=True))
    if not intents:
        return 0
    events = WebhookEvent.objects.filter(
        Q(payload__data__object__id__in=intents)
        | Q(payload__data__object__payment_intent__in=intents)
    )
    changed = 0
    for event in events.iterator():
        clean = scrubbed(event.payload)
        if clean != event.payload:
            WebhookEvent.objects.filter(pk=event.pk).update(payload=clean)
            changed += 1
    return changed

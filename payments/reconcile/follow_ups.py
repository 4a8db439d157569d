"""The check on follow-up tasks the outbox gave up."""

from collections.abc import Iterator

from django.utils.translation import gettext_noop

from outbox.models import OutboxMessage
from shop.models import Checkout

from .mismatch import MISSING, Mismatch, mismatch, since_filter

# The checkout a follow-up task is about, from its first argument.
FOLLOW_UP_CHECKOUTS = {
    "shop.tasks.send_checkout_emails": "pk",
    "payments.tasks.send_transfer": "transfers__pk",
    "payments.tasks.adjust_transfers": "orders__pk",
    "payments.tasks.execute_refund": "payments__refunds__pk",
    "payments.tasks.cancel_payment": "payments__pk",
    "payments.tasks.send_payment_failed_email": "payments__pk",
    "payments.tasks.send_dispute_email": "payments__pk",
}


def _follow_up_reference(message: OutboxMessage) -> str:
    lookup = FOLLOW_UP_CHECKOUTS.get(message.task)
    if lookup and message.args:
        reference = Checkout.objects.filter(**{lookup: message.args[0]}).values_list(
            "reference", flat=True).first()
        if reference:
            return reference
    return message.key


def follow_ups_given_up(*, since, now, client) -> Iterator[Mismatch]:
    """Follow-up tasks the outbox stopped trying (a refund, a transfer, an e-mail, a
    webhook): `outbox_retry` starts them again."""
    messages = OutboxMessage.objects.filter(given_up_at__isnull=False, done_at__isnull=True)
    for message in since_filter(messages, "created_at", since).order_by("pk").iterator(
            chunk_size=200):
        yield mismatch(_follow_up_reference(message),
                       gettext_noop("follow-up %(task)s given up after %(attempts)s attempts "
                                    "(%(error)s)"),
                       gettext_noop("given up"), MISSING, task=message.task,
                       attempts=message.attempts, error=message.last_error or "?")

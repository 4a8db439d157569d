"""What a Stripe event does to our data. Each handler re-fetches the object from Stripe
(an event may be old, duplicated or delivered out of order) and calls the same services
as the rest of the site, which are idempotent."""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.mail import send_templated_email
from outbox.services import outbox_add
from shop.locking import lock_checkout
from shop.models import Checkout

from .gateways.stripe import REFUND_STATES, StripeGateway, object_id
from .models import Payment, Refund, WebhookEvent
from .refund_sync import RemoteRefund, payment_refunds_sync
from .services import payment_failed, payment_succeeded

EMAILS = "payments/emails/"


def _client():
    return StripeGateway().client


def _payment(payment_intent_id: str) -> Payment | None:
    if not payment_intent_id:
        return None
    return (Payment.objects.select_related("checkout")
            .filter(gateway=StripeGateway.name, external_id=payment_intent_id).first())


def _absolute(path: str) -> str:
    return path if "://" in path else settings.SITE_URL + path


def payment_intent_succeeded(obj: dict) -> str:
    intent = _client().v1.payment_intents.retrieve(obj["id"])
    if intent.status != "succeeded":
        return f"ignored: {intent.id} is {intent.status}"
    payment = _payment(intent.id)
    if payment is None:
        return f"ignored: no payment for {intent.id}"
    result = payment_succeeded(payment=payment)
    return "already completed" if result.already_completed else "completed"


def payment_intent_payment_failed(obj: dict) -> str:
    intent = _client().v1.payment_intents.retrieve(obj["id"])
    if intent.status == "succeeded":
        return f"ignored: {intent.id} succeeded since"
    payment = _payment(intent.id)
    if payment is None:
        return f"ignored: no payment for {intent.id}"
    error = getattr(intent, "last_payment_error", None)
    message = getattr(error, "message", None) or _("The payment was declined.")
    if Payment.objects.get(pk=payment.pk).state != Payment.State.CREATED:
        return "ignored: payment already settled"
    payment_failed(payment=payment, message=message)
    outbox_add(task="payments.tasks.send_payment_failed_email", args=[payment.pk],
               key=f"payment-failed-email-{payment.pk}")
    return "failed"


def payment_failed_email_send(*, payment_pk: int) -> int:
    """Tell the shopper the card was declined, unless the basket was paid since."""
    from .views import basket_url

    payment = Payment.objects.select_related("checkout").get(pk=payment_pk)
    checkout = payment.checkout
    if checkout.state == Checkout.State.PAID or payment.state != Payment.State.FAILED:
        return 0
    return send_templated_email(
        to=[checkout.email], template=EMAILS + "payment_failed",
        context={"checkout": checkout, "message": payment.failure_message,
                 "shopper_name": f"{checkout.first_name} {checkout.last_name}".strip(),
                 "basket_url": _absolute(basket_url(checkout))},
    )


def charge_refunded(obj: dict) -> str:
    """Refunds made by us or elsewhere (Stripe's dashboard). Stripe does not promise the
    order of events: a charge refunded before its `payment_intent.succeeded` was processed
    completes the checkout first, then books the refund."""
    client = _client()
    charge = client.v1.charges.retrieve(obj["id"])
    payment = _payment(object_id(getattr(charge, "payment_intent", None)))
    if payment is None:
        return f"ignored: no payment for {charge.id}"
    if payment.state in Payment.UNSETTLED and getattr(charge, "status", "") == "succeeded":
        payment_succeeded(payment=payment)
    remote = [
        RemoteRefund(id=item["id"], amount_cents=item["amount"],
                     state=REFUND_STATES.get(item["status"], Refund.State.PENDING),
                     our_id=str((item.get("metadata") or {}).get("refund_id", "")))
        for item in (stripe_refund.to_dict() for stripe_refund in client.v1.refunds.list(
            params={"charge": charge.id, "limit": 100}))
    ]
    booked = payment_refunds_sync(payment=payment, remote=remote)
    return f"refunds synced ({booked} cents made elsewhere)"


def charge_dispute_created(obj: dict) -> str:
    charge = _client().v1.charges.retrieve(object_id(obj["charge"]))
    payment = _payment(object_id(getattr(charge, "payment_intent", None)))
    if payment is None:
        return f"ignored: no payment for {charge.id}"
    checkout = lock_checkout(payment.checkout_id)
    reason = obj.get("reason") or ""
    # The cardholder's bank sets the reason; it is shown to the organiser as is.
    payment.failure_message = (
        _("Dispute %(dispute)s opened by the cardholder (%(reason)s)")
        % {"dispute": obj["id"], "reason": reason or "?"}
    )[:255]
    payment.save(update_fields=["failure_message", "updated_at"])
    # The dispute is on the whole charge: every vendor order of the checkout is flagged.
    checkout.orders.filter(disputed_at__isnull=True).update(disputed_at=timezone.now())
    outbox_add(task="payments.tasks.send_dispute_email",
               args=[payment.pk, obj["id"], reason, obj.get("amount") or payment.amount_cents],
               key=f"dispute-email-{obj['id']}")
    return "dispute recorded"


def dispute_email_send(*, payment_pk: int, dispute_id: str, reason: str,
                       amount_cents: int) -> int:
    """Tell the market's organiser that a cardholder disputes a payment."""
    payment = Payment.objects.select_related("checkout").get(pk=payment_pk)
    checkout = payment.checkout
    market = checkout.market
    organiser = getattr(market, "organiser", None)
    contact = getattr(organiser, "contact_email", "")
    if not contact:
        return 0
    return send_templated_email(
        to=[contact], template=EMAILS + "dispute_created",
        context={"checkout": checkout, "market": market, "organiser": organiser,
                 "dispute_id": dispute_id, "reason": reason, "amount_cents": amount_cents,
                 "orders": list(checkout.orders.select_related("vendor").order_by("pk"))},
    )


def account_updated(obj: dict) -> str:
    from .connect import account_updated as update

    update(account=obj)
    return "handled"


def transfer_reversed(obj: dict) -> str:
    from .transfers import transfer_reversed as reversed_

    reversed_(transfer=obj)
    return "handled"


HANDLERS: dict[str, Callable[[dict], str]] = {
    "payment_intent.succeeded": payment_intent_succeeded,
    "payment_intent.payment_failed": payment_intent_payment_failed,
    "charge.refunded": charge_refunded,
    "charge.dispute.created": charge_dispute_created,
    "account.updated": account_updated,
    "transfer.reversed": transfer_reversed,
}


def webhook_event_process(*, event_pk: int) -> str:
    """Run the handler of a stored event once: the row stays locked while it runs and is
    marked processed in the same transaction. Unknown types are marked and ignored."""
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
            if event.processed_at is not None:
                return "already processed"
            handler = HANDLERS.get(event.type)
            note = handler(event.payload["data"]["object"]) if handler else "ignored"
            event.processed_at = timezone.now()
            event.error = note if note.startswith("ignored") else ""
            event.save(update_fields=["processed_at", "error"])
            return note
    except Exception as error:
        WebhookEvent.objects.filter(pk=event_pk).update(error=repr(error)[:2000])
        raise

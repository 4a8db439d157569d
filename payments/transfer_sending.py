"""Sending a planned transfer to its beneficiary's connected account, once (see
`payments.transfers` for how transfers are planned, and brought down after refunds)."""

import logging

import stripe
from django.db import transaction

from shop.models import Checkout

from . import stripe_client
from .models import Payment, Transfer
from .transfers import lock_transfer

logger = logging.getLogger(__name__)


def _beneficiary_account(transfer: Transfer) -> tuple[str, bool]:
    """The beneficiary's connected account now, and whether it can receive transfers (as
    Stripe last told us: `payments.connect.account_updated`)."""
    if transfer.kind == Transfer.Kind.VENDOR:
        beneficiary = transfer.order.vendor
    elif transfer.kind == Transfer.Kind.ORGANISER:
        beneficiary = transfer.organiser
    else:
        beneficiary = transfer.project
    return beneficiary.stripe_account_id, beneficiary.transfers_active


def charge_id(*, checkout: Checkout, client: stripe.StripeClient) -> str:
    """The charge that paid `checkout`: the latest charge of its PaymentIntent."""
    payment = Payment.objects.filter(
        checkout=checkout, gateway=checkout.gateway, external_id=checkout.payment_reference,
    ).get()
    intent = client.v1.payment_intents.retrieve(payment.external_id).to_dict()
    charge = intent.get("latest_charge")
    return charge if isinstance(charge, str) else charge["id"]


def _stripe_idempotency_key(transfer: Transfer) -> str:
    """Stripe answers a key it has already seen with its first answer for 24 hours, a
    refusal included: once it refused this transfer, each attempt asks under a key of its
    own, set by the refusal it follows (so the same key again while that attempt's answer
    is lost)."""
    if not transfer.failure_message:
        return transfer.idempotency_key
    return f"{transfer.idempotency_key}-after-{transfer.updated_at:%Y%m%d%H%M%S%f}"


def _made_by_a_lost_attempt(*, transfer: Transfer, client: stripe.StripeClient):
    """The transfer Stripe made for this row under an earlier key, if any: an attempt
    whose answer was lost, before the row changed (retried from the back office)."""
    made = client.v1.transfers.list(params={"transfer_group": transfer.checkout.reference,
                                            "limit": 100})
    for item in made.auto_paging_iter():
        if (item.to_dict().get("metadata") or {}).get("transfer") == str(transfer.pk):
            return item
    return None


def _stripe_metadata(transfer: Transfer) -> dict[str, str]:
    metadata = {"checkout": transfer.checkout.reference, "transfer": str(transfer.pk)}
    if transfer.order_id:
        metadata["order"] = transfer.order.number
    if transfer.project_id:
        metadata["project"] = str(transfer.project_id)
    if transfer.organiser_id:
        metadata["organiser"] = str(transfer.organiser_id)
    return metadata


def _stripe_transfer(*, transfer: Transfer, destination: str, client: stripe.StripeClient):
    """The transfer made on Stripe for this row: the one a lost attempt already made after a
    refusal, else a new one."""
    if transfer.failure_message:
        made = _made_by_a_lost_attempt(transfer=transfer, client=client)
        if made is not None:
            return made
    checkout = transfer.checkout
    return client.v1.transfers.create(
        params={
            "amount": transfer.amount_cents, "currency": transfer.currency.lower(),
            "destination": destination,
            "source_transaction": charge_id(checkout=checkout, client=client),
            "transfer_group": checkout.reference, "metadata": _stripe_metadata(transfer),
        },
        options={"idempotency_key": _stripe_idempotency_key(transfer)},
    )


@transaction.atomic
def transfer_send(*, transfer_pk: int, retry_failed: bool = False) -> Transfer:
    """Make the transfer on Stripe, once. Left pending while the beneficiary's account
    cannot receive transfers. Connection errors and rate limits propagate, so that the task
    retries; other Stripe errors mark the transfer failed (tried again with
    `retry_failed`, see `_stripe_idempotency_key`)."""
    transfer = lock_transfer(transfer_pk)
    if transfer.external_id:
        return transfer
    if transfer.state == Transfer.State.FAILED and retry_failed:
        transfer.state = Transfer.State.PENDING
    if transfer.state != Transfer.State.PENDING:
        return transfer
    destination, active = _beneficiary_account(transfer)
    if not destination or not active:
        return transfer
    client = stripe_client.stripe_client()
    try:
        sent = _stripe_transfer(transfer=transfer, destination=destination, client=client)
    except (stripe.APIConnectionError, stripe.RateLimitError):
        raise
    except stripe.StripeError as error:
        logger.warning("transfer %s failed: %s", transfer.pk, error)
        transfer.state = Transfer.State.FAILED
        transfer.failure_message = str(error.user_message or error)
        transfer.save(update_fields=["state", "failure_message", "updated_at"])
        return transfer
    transfer.external_id = sent.id
    transfer.destination = destination
    transfer.state = Transfer.State.SENT
    transfer.failure_message = ""
    transfer.save(update_fields=["external_id", "destination", "state", "failure_message",
                                 "updated_at"])
    return transfer

"""Separate charges and transfers: the checkout is charged once on the platform, then each
vendor order's net and each project's share are transferred to their connected accounts.

A Transfer row is planned once per beneficiary (its `idempotency_key` is unique and built
from our ids) and sent by a Celery task that re-reads the row under a lock, so a retried
or duplicated task never sends twice; Stripe gets the same idempotency key as a second
guard. Shares of projects without a connected account get no Transfer: they stay in the
ledger as payable.
"""

import logging

import stripe
from celery import shared_task
from django.db import transaction
from django.db.models import F, Sum

from markets.models import SolidarityProject
from outbox.services import RETRY_LATER, outbox_add
from shop.models import Checkout, LedgerEntry, Order

from . import stripe_client
from .models import Payment, Transfer

logger = logging.getLogger(__name__)

PROJECT_KINDS = (LedgerEntry.Kind.SOLIDARITY, LedgerEntry.Kind.DONATION)


def _lock_transfer(pk: int) -> Transfer:
    return (
        Transfer.objects.filter(pk=pk).order_by("pk").select_for_update(of=("self",))
        .select_related("checkout", "order__vendor", "project").get()
    )


def _vendor_net_booked(order: Order) -> int:
    return LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.VENDOR_NET).aggregate(
        total=Sum("amount_cents", default=0)
    )["total"]


def project_shares(*, checkout: Checkout) -> dict[int, int]:
    """{project id: cents} of the solidarity shares and donations booked for `checkout`."""
    rows = (
        LedgerEntry.objects.filter(checkout=checkout, kind__in=PROJECT_KINDS,
                                   project__isnull=False)
        .values("project_id").annotate(total=Sum("amount_cents")).order_by("project_id")
    )
    return {row["project_id"]: row["total"] for row in rows if row["total"] > 0}


@transaction.atomic
def transfers_plan(*, checkout: Checkout) -> list[Transfer]:
    """The transfers owed for a paid checkout, created once: one per paid vendor order,
    one per project that has a connected account."""
    transfers = []
    orders = checkout.orders.filter(state=Order.State.PAID, vendor_net_cents__gt=0)
    for order in orders.select_related("vendor").order_by("pk"):
        transfer, _ = Transfer.objects.get_or_create(
            idempotency_key=f"transfer-order-{order.pk}",
            defaults={"kind": Transfer.Kind.VENDOR, "checkout": checkout, "order": order,
                      "destination": order.vendor.stripe_account_id,
                      "amount_cents": order.vendor_net_cents},
        )
        transfers.append(transfer)
    shares = project_shares(checkout=checkout)
    projects = SolidarityProject.objects.filter(pk__in=shares).exclude(stripe_account_id="")
    for project in projects.order_by("pk"):
        transfer, _ = Transfer.objects.get_or_create(
            idempotency_key=f"transfer-project-{checkout.reference}-{project.pk}",
            defaults={"kind": Transfer.Kind.PROJECT, "checkout": checkout, "project": project,
                      "destination": project.stripe_account_id,
                      "amount_cents": shares[project.pk]},
        )
        transfers.append(transfer)
    return transfers


def transfers_queue(*, transfer_pks: list[int]) -> None:
    """Record that these transfers must be sent; the outbox sends them once the current
    transaction is committed, and again later while Stripe refuses them."""
    rounds = Transfer.objects.filter(pk__in=transfer_pks).values_list("pk", "send_round")
    for pk, round_ in rounds.order_by("pk"):
        outbox_add(task="payments.transfers.send_transfer", args=[pk],
                   key=f"transfer-send-{pk}-{round_}")


@transaction.atomic
def transfers_requeue(*, transfer_pks: list[int]) -> None:
    """Send again transfers whose earlier round ended waiting (the beneficiary's account
    could not receive them then)."""
    Transfer.objects.filter(pk__in=transfer_pks).update(send_round=F("send_round") + 1)
    transfers_queue(transfer_pks=transfer_pks)


@transaction.atomic
def transfer_retry(*, transfer: Transfer) -> Transfer:
    """Try a failed transfer again (from the back office): a new round of attempts."""
    transfer = _lock_transfer(transfer.pk)
    if transfer.state != Transfer.State.FAILED:
        return transfer
    transfer.state = Transfer.State.PENDING
    transfer.send_round += 1
    transfer.save(update_fields=["state", "send_round", "updated_at"])
    transfers_queue(transfer_pks=[transfer.pk])
    return transfer


@transaction.atomic
def transfers_schedule(*, checkout: Checkout) -> list[Transfer]:
    """Plan the transfers of a paid checkout and queue those still to send."""
    transfers = transfers_plan(checkout=checkout)
    transfers_queue(transfer_pks=[t.pk for t in transfers if t.state == Transfer.State.PENDING])
    return transfers


def _beneficiary_account(transfer: Transfer) -> tuple[str, bool]:
    """The beneficiary's connected account now, and whether it can receive transfers."""
    beneficiary = transfer.order.vendor if transfer.kind == Transfer.Kind.VENDOR \
        else transfer.project
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


@transaction.atomic
def transfer_send(*, transfer_pk: int, retry_failed: bool = False) -> Transfer:
    """Make the transfer on Stripe, once. Left pending while the beneficiary's account
    cannot receive transfers. Connection errors and rate limits propagate, so that the task
    retries; other Stripe errors mark the transfer failed (tried again with
    `retry_failed`, see `_stripe_idempotency_key`)."""
    transfer = _lock_transfer(transfer_pk)
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
    checkout = transfer.checkout
    metadata = {"checkout": checkout.reference, "transfer": str(transfer.pk)}
    if transfer.order_id:
        metadata["order"] = transfer.order.number
    if transfer.project_id:
        metadata["project"] = str(transfer.project_id)
    try:
        sent = None
        if transfer.failure_message:
            sent = _made_by_a_lost_attempt(transfer=transfer, client=client)
        if sent is None:
            sent = client.v1.transfers.create(
                params={
                    "amount": transfer.amount_cents, "currency": transfer.currency.lower(),
                    "destination": destination,
                    "source_transaction": charge_id(checkout=checkout, client=client),
                    "transfer_group": checkout.reference, "metadata": metadata,
                },
                options={"idempotency_key": _stripe_idempotency_key(transfer)},
            )
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


@shared_task(acks_late=True)
def send_transfer(transfer_pk: int) -> str:
    """Run by the outbox until the transfer is sent (or waits for its beneficiary's
    account): a refused transfer stays marked failed and is tried again later."""
    transfer = transfer_send(transfer_pk=transfer_pk, retry_failed=True)
    if transfer.state == Transfer.State.FAILED:
        return f"{RETRY_LATER}: transfer {transfer.pk}: {transfer.failure_message}"
    return transfer.state


def _reversal_state(*, amount_cents: int, reversed_cents: int) -> str:
    if reversed_cents >= amount_cents:
        return Transfer.State.REVERSED
    return Transfer.State.PARTIALLY_REVERSED if reversed_cents else Transfer.State.SENT


@transaction.atomic
def transfer_reversed(*, transfer: dict) -> Transfer | None:
    """Record what Stripe says of a transfer's reversals (`transfer.reversed`,
    `transfer.updated`)."""
    row = Transfer.objects.filter(external_id=transfer["id"]).first()
    if row is None:
        return None
    row = _lock_transfer(row.pk)
    row.reversed_cents = int(transfer.get("amount_reversed") or 0)
    row.state = _reversal_state(amount_cents=row.amount_cents, reversed_cents=row.reversed_cents)
    row.save(update_fields=["reversed_cents", "state", "updated_at"])
    return row


def transfers_adjust_after_refund(*, order: Order, amount_cents: int) -> None:
    """Once the refund of `order`'s units is committed, take back what the beneficiaries
    no longer get (the outbox calls Stripe, outside the checkout's lock)."""
    if amount_cents < 1:
        return
    refunded = Order.objects.filter(pk=order.pk).values_list("refunded_cents", flat=True).get()
    outbox_add(task="payments.transfers.adjust_transfers", args=[order.pk, amount_cents],
               key=f"transfer-adjust-{order.pk}-{refunded}")


@shared_task(acks_late=True)
def adjust_transfers(order_pk: int, amount_cents: int) -> str:
    transfer = transfer_adjust_for_refund(order=Order.objects.get(pk=order_pk),
                                          amount_cents=amount_cents)
    return transfer.state if transfer else "no vendor transfer"


@transaction.atomic
def transfer_adjust_for_refund(*, order: Order, amount_cents: int) -> Transfer | None:
    """After units of `order` were refunded (`amount_cents` to the shopper) and booked,
    take back what the ledger no longer owes: the vendor's part, and the projects' shares of
    the checkout. A transfer already sent is reversed by the difference; one not sent yet
    becomes smaller. What is due is read from the ledger, so a second call for the same
    refund changes nothing. Returns the vendor's transfer."""
    if amount_cents < 1:
        return Transfer.objects.filter(kind=Transfer.Kind.VENDOR, order=order).first()
    order = Order.objects.select_related("checkout").get(pk=order.pk)
    metadata = {"order": order.number, "refund_cents": str(amount_cents)}
    vendor_transfer = Transfer.objects.filter(kind=Transfer.Kind.VENDOR, order=order).first()
    if vendor_transfer is not None:
        vendor_transfer = _bring_down_to(
            transfer_pk=vendor_transfer.pk, due_cents=max(_vendor_net_booked(order), 0),
            key=f"reversal-{order.pk}-{order.refunded_cents}", metadata=metadata,
        )
    shares = project_shares(checkout=order.checkout)
    for transfer in Transfer.objects.filter(kind=Transfer.Kind.PROJECT, checkout=order.checkout):
        _bring_down_to(
            transfer_pk=transfer.pk, due_cents=shares.get(transfer.project_id, 0),
            key=f"reversal-project-{transfer.pk}-{order.pk}-{order.refunded_cents}",
            metadata=metadata,
        )
    return vendor_transfer


def _bring_down_to(*, transfer_pk: int, due_cents: int, key: str, metadata: dict) -> Transfer:
    transfer = _lock_transfer(transfer_pk)
    if transfer.state == Transfer.State.PENDING:
        transfer.amount_cents = min(transfer.amount_cents, due_cents)
        if not transfer.amount_cents:
            # Everything was refunded before the transfer went: nothing is left to send.
            transfer.state = Transfer.State.REVERSED
        transfer.save(update_fields=["amount_cents", "state", "updated_at"])
        return transfer
    if transfer.state not in (Transfer.State.SENT, Transfer.State.PARTIALLY_REVERSED):
        return transfer
    to_reverse = transfer.amount_cents - transfer.reversed_cents - due_cents
    if to_reverse < 1:
        return transfer
    try:
        reversal = stripe_client.stripe_client().v1.transfers.reversals.create(
            transfer.external_id,
            params={"amount": to_reverse, "metadata": metadata},
            options={"idempotency_key": key},
        )
    except stripe.StripeError as error:
        # The shopper is already refunded: the difference stays to take back, and
        # `payments_reconcile` lists it until it is.
        logger.warning("reversal of transfer %s failed: %s", transfer.pk, error)
        transfer.failure_message = str(error.user_message or error)
        transfer.save(update_fields=["failure_message", "updated_at"])
        return transfer
    transfer.reversed_cents += int(reversal["amount"])
    transfer.state = _reversal_state(amount_cents=transfer.amount_cents,
                                     reversed_cents=transfer.reversed_cents)
    transfer.save(update_fields=["reversed_cents", "state", "updated_at"])
    return transfer

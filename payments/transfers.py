"""Separate charges and transfers: the checkout is charged once on the platform, then each
vendor order's net and each project's share are transferred to their connected accounts.

A Transfer row is planned once per beneficiary (its `idempotency_key` is unique and built
from our ids) and sent by a Celery task that re-reads the row under a lock
(`payments.transfer_sending`), so a retried or duplicated task never sends twice; Stripe
gets the same idempotency key as a second guard. Shares of projects, and the commission of
organisers, without a connected account get no Transfer: they stay in the ledger as
payable. After a refund, the transfers are brought down here to what the ledger still
owes.
"""

import logging

import stripe
from django.db import transaction
from django.db.models import F

from markets.models import Organiser, SolidarityProject
from outbox.services import outbox_add
from shop.models import Checkout, Order
from shop.orders.ledger import (
    checkout_organiser_commission,
    checkout_project_amounts,
    order_vendor_net_cents,
)

from . import stripe_client
from .models import Transfer

logger = logging.getLogger(__name__)



def lock_transfer(pk: int) -> Transfer:
    return (
        Transfer.objects.filter(pk=pk).order_by("pk").select_for_update(of=("self",))
        .select_related("checkout", "order__vendor", "project", "organiser").get()
    )


@transaction.atomic
def transfers_plan(*, checkout: Checkout) -> list[Transfer]:
    """The transfers owed for a paid checkout, created once: one per paid vendor order,
    one per project and one per organiser (its commission) that has a connected
    account."""
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
    shares = checkout_project_amounts(checkout)
    projects = SolidarityProject.objects.filter(pk__in=shares).exclude(stripe_account_id="")
    for project in projects.order_by("pk"):
        transfer, _ = Transfer.objects.get_or_create(
            idempotency_key=f"transfer-project-{checkout.reference}-{project.pk}",
            defaults={"kind": Transfer.Kind.PROJECT, "checkout": checkout, "project": project,
                      "destination": project.stripe_account_id,
                      "amount_cents": shares[project.pk]},
        )
        transfers.append(transfer)
    return transfers + _plan_organisers(checkout=checkout)


def _plan_organisers(*, checkout: Checkout) -> list[Transfer]:
    commissions = checkout_organiser_commission(checkout)
    organisers = Organiser.objects.filter(pk__in=commissions).exclude(stripe_account_id="")
    return [
        Transfer.objects.get_or_create(
            idempotency_key=f"transfer-organiser-{checkout.reference}-{organiser.pk}",
            defaults={"kind": Transfer.Kind.ORGANISER, "checkout": checkout,
                      "organiser": organiser, "destination": organiser.stripe_account_id,
                      "amount_cents": commissions[organiser.pk]},
        )[0]
        for organiser in organisers.order_by("pk")
    ]


def transfers_queue(*, transfer_pks: list[int]) -> None:
    """Record that these transfers must be sent; the outbox sends them once the current
    transaction is committed, and again later while Stripe refuses them."""
    rounds = Transfer.objects.filter(pk__in=transfer_pks).values_list("pk", "send_round")
    for pk, round_ in rounds.order_by("pk"):
        outbox_add(task="payments.tasks.send_transfer", args=[pk],
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
    transfer = lock_transfer(transfer.pk)
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
    row = lock_transfer(row.pk)
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
    outbox_add(task="payments.tasks.adjust_transfers", args=[order.pk, amount_cents],
               key=f"transfer-adjust-{order.pk}-{refunded}")


@transaction.atomic
def transfer_adjust_for_refund(*, order: Order, amount_cents: int) -> Transfer | None:
    """After units of `order` were refunded (`amount_cents` to the shopper) and booked,
    take back what the ledger no longer owes: the vendor's part, and the projects' shares
    and the organisers' commission of the checkout. A transfer already sent is reversed by
    the difference; one not sent yet becomes smaller. What is due is read from the ledger,
    so a second call for the same refund changes nothing. Returns the vendor's transfer."""
    if amount_cents < 1:
        return Transfer.objects.filter(kind=Transfer.Kind.VENDOR, order=order).first()
    order = Order.objects.select_related("checkout").get(pk=order.pk)
    metadata = {"order": order.number, "refund_cents": str(amount_cents)}
    vendor_transfer = Transfer.objects.filter(kind=Transfer.Kind.VENDOR, order=order).first()
    if vendor_transfer is not None:
        vendor_transfer = _bring_down_to(
            transfer_pk=vendor_transfer.pk, due_cents=max(order_vendor_net_cents(order), 0),
            key=f"reversal-{order.pk}-{order.refunded_cents}", metadata=metadata,
        )
    shares = checkout_project_amounts(order.checkout)
    for transfer in Transfer.objects.filter(kind=Transfer.Kind.PROJECT, checkout=order.checkout):
        _bring_down_to(
            transfer_pk=transfer.pk, due_cents=shares.get(transfer.project_id, 0),
            key=f"reversal-project-{transfer.pk}-{order.pk}-{order.refunded_cents}",
            metadata=metadata,
        )
    commissions = checkout_organiser_commission(order.checkout)
    for transfer in Transfer.objects.filter(kind=Transfer.Kind.ORGANISER,
                                            checkout=order.checkout):
        _bring_down_to(
            transfer_pk=transfer.pk, due_cents=commissions.get(transfer.organiser_id, 0),
            key=f"reversal-organiser-{transfer.pk}-{order.pk}-{order.refunded_cents}",
            metadata=metadata,
        )
    return vendor_transfer


def _bring_down_to(*, transfer_pk: int, due_cents: int, key: str, metadata: dict) -> Transfer:
    transfer = lock_transfer(transfer_pk)
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

"""The checks on transfers: each one made against our row and the ledger's share, vendor
orders with none planned, transfers refused or waiting long."""

from collections.abc import Iterator
from datetime import timedelta

import stripe
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_noop

from shop.models import Checkout, Order
from shop.orders.ledger import (
    checkout_organiser_commission,
    checkout_project_amounts,
    order_vendor_net_cents,
)

from ..models import Transfer
from .mismatch import MISSING, OVERDUE_AFTER, PRESENT, Mismatch, mismatch, since_filter

# A transfer waits for its beneficiary's account; once the account can receive it, the
# transfer goes within minutes (`account.updated`).
WAITING_TOO_LONG = timedelta(days=1)
TRANSFERRED_ORDER_STATES = (Order.State.PAID, Order.State.READY, Order.State.FULFILLED,
                            Order.State.PARTIALLY_REFUNDED)


def _expected_net(transfer: Transfer, shares: dict[int, int],
                  commissions: dict[int, int]) -> int:
    """What the ledger says the beneficiary should keep from this transfer."""
    if transfer.kind == Transfer.Kind.VENDOR:
        return order_vendor_net_cents(transfer.order)
    if transfer.kind == Transfer.Kind.ORGANISER:
        return commissions.get(transfer.organiser_id, 0)
    return shares.get(transfer.project_id, 0)


def transfers_made(checkout: Checkout, client) -> Iterator[Mismatch]:
    ref = checkout.reference
    shares = checkout_project_amounts(checkout)
    commissions = checkout_organiser_commission(checkout)
    transfers = checkout.transfers.select_related("order").exclude(external_id="")
    for transfer in transfers.order_by("pk"):
        tr = transfer.external_id
        try:
            remote = client.v1.transfers.retrieve(tr).to_dict()
        except stripe.StripeError as error:
            yield mismatch(ref, gettext_noop("transfer %(id)s"), PRESENT, f"error ({error})",
                           id=tr)
            continue
        if remote["amount"] != transfer.amount_cents:
            yield mismatch(ref, gettext_noop("transfer %(id)s amount"), transfer.amount_cents,
                           remote["amount"], id=tr)
        if remote["amount_reversed"] != transfer.reversed_cents:
            yield mismatch(ref, gettext_noop("transfer %(id)s reversed"),
                           transfer.reversed_cents, remote["amount_reversed"], id=tr)
        expected = _expected_net(transfer, shares, commissions)
        kept = remote["amount"] - remote["amount_reversed"]
        if kept != expected:
            yield mismatch(ref, gettext_noop("transfer %(id)s net for the beneficiary "
                                             "(ledger)"), expected, kept, id=tr)


def transfers_missing(*, since, now, client) -> Iterator[Mismatch]:
    """Vendor orders of paid Stripe checkouts that owe the vendor something and have no
    transfer planned."""
    orders = Order.objects.filter(
        checkout__state=Checkout.State.PAID, checkout__gateway="stripe",
        checkout__paid_at__lte=now - OVERDUE_AFTER, state__in=TRANSFERRED_ORDER_STATES,
        vendor_net_cents__gt=0,
    ).filter(~Exists(Transfer.objects.filter(kind=Transfer.Kind.VENDOR, order=OuterRef("pk"))))
    orders = since_filter(orders, "checkout__paid_at", since).select_related("checkout")
    for order in orders.order_by("pk").iterator(chunk_size=200):
        yield mismatch(order.checkout.reference,
                       gettext_noop("order %(number)s vendor transfer of %(amount)s cents"),
                       MISSING, MISSING, number=order.number, amount=order.vendor_net_cents)


def transfers_stuck(*, since, now, client) -> Iterator[Mismatch]:
    """Transfers Stripe refused, and those waiting for more than a day though their
    beneficiary's account can receive them. (An organiser without an account has no
    transfer: its commission is payable in the ledger, nothing is stuck.)"""
    waiting = Q(state=Transfer.State.PENDING, updated_at__lte=now - WAITING_TOO_LONG) & (
        Q(kind=Transfer.Kind.VENDOR, order__vendor__transfers_active=True)
        | Q(kind=Transfer.Kind.PROJECT, project__transfers_active=True)
        | Q(kind=Transfer.Kind.ORGANISER, organiser__transfers_active=True)
    )
    transfers = Transfer.objects.filter(waiting | Q(state=Transfer.State.FAILED))
    transfers = since_filter(transfers, "created_at", since).select_related("checkout")
    for transfer in transfers.order_by("pk").iterator(chunk_size=200):
        fields = {"id": transfer.pk, "amount": transfer.amount_cents,
                  "destination": transfer.destination or "?"}
        if transfer.state == Transfer.State.FAILED:
            yield mismatch(transfer.checkout.reference,
                           gettext_noop("transfer #%(id)s of %(amount)s cents to "
                                        "%(destination)s (%(reason)s)"),
                           gettext_noop("failed"), MISSING,
                           reason=transfer.failure_message or "?", **fields)
        else:
            yield mismatch(transfer.checkout.reference,
                           gettext_noop("transfer #%(id)s of %(amount)s cents to "
                                        "%(destination)s waiting for a day though the "
                                        "account is active"),
                           gettext_noop("pending"), MISSING, **fields)

"""Refunds of the checkout as a whole rather than of one vendor order's units: the
shopper's extra donation, and money given back that no order accounts for. Both take the
checkout's lock first, as `shop.orders.services` does, so that their entries and those of
cancelled units are booked one after the other."""

from django.db import transaction

from shop.locking import lock_checkout
from shop.orders.ledger import checkout_donations_by_project
from shop.orders.models import LedgerEntry


@transaction.atomic
def checkout_donation_refund(*, checkout_id: int) -> int:
    """The shopper's extra donation goes back with everything else (a full refund made at
    the payment provider): book it out of each project's donation. Returns the cents."""
    lock_checkout(checkout_id)
    entries = [
        LedgerEntry(checkout_id=checkout_id, kind=LedgerEntry.Kind.DONATION,
                    amount_cents=-total, project_id=project_id, memo="donation refunded")
        for project_id, total in checkout_donations_by_project(checkout_id).items()
        if total > 0
    ]
    refunded = -sum(entry.amount_cents for entry in entries)
    if refunded:
        entries.append(LedgerEntry(checkout_id=checkout_id, kind=LedgerEntry.Kind.REFUND,
                                   amount_cents=refunded, memo="donation refunded"))
        LedgerEntry.objects.bulk_create(entries)
    return refunded


@transaction.atomic
def checkout_unallocated_refund(*, checkout_id: int, amount_cents: int, memo: str) -> None:
    """Money given back outside the platform that no order accounts for: the platform
    bears it (a commission entry in no organiser's name, so the organisers' commission is
    untouched) until someone allocates it, so the ledger still adds up to what the shopper
    was charged."""
    lock_checkout(checkout_id)
    LedgerEntry.objects.bulk_create([
        LedgerEntry(checkout_id=checkout_id, kind=LedgerEntry.Kind.COMMISSION,
                    amount_cents=-amount_cents, memo=memo),
        LedgerEntry(checkout_id=checkout_id, kind=LedgerEntry.Kind.REFUND,
                    amount_cents=amount_cents, memo=memo),
    ])

"""Reads the payout screens share: what is owed and not transferred."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Sum

from markets.selectors import organisers_for_user
from shop.models import Checkout, LedgerEntry

from .models import Transfer


@dataclass(frozen=True)
class CommissionPayable:
    organiser_id: int
    name: str
    amount_cents: int
    has_account: bool


def commission_payable(*, user) -> list[CommissionPayable]:
    """The commission of paid checkouts booked to the user's organisers (every organiser
    for a platform admin) for which no transfer was made: those without a connected
    account when the checkout was paid. It stays payable in the ledger."""
    transferred = Transfer.objects.filter(
        kind=Transfer.Kind.ORGANISER, checkout=OuterRef("checkout"),
        organiser=OuterRef("organiser"),
    )
    rows = (
        LedgerEntry.objects.filter(
            kind=LedgerEntry.Kind.COMMISSION, checkout__state=Checkout.State.PAID,
            organiser__in=organisers_for_user(user),
        )
        .filter(~Exists(transferred))
        .values("organiser_id", "organiser__name", "organiser__stripe_account_id")
        .annotate(total=Sum("amount_cents"))
        .order_by("organiser__name", "organiser_id")
    )
    return [
        CommissionPayable(row["organiser_id"], row["organiser__name"], row["total"],
                          bool(row["organiser__stripe_account_id"]))
        for row in rows if row["total"] > 0
    ]

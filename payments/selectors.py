"""Reads the payout screens share: what is owed and not transferred."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Sum

from markets.models import Organiser
from markets.selectors import organisers_for_user
from shop.models import Checkout, LedgerEntry

from .connect import connect_status
from .models import Transfer


@dataclass(frozen=True)
class CommissionPayable:
    organiser_id: int
    name: str
    amount_cents: int
    account_status: str  # `connect_status` of the organiser's payout account


def _commission_without_transfer(organisers) -> QuerySet[LedgerEntry]:
    """The commission entries of paid checkouts booked to `organisers` (a queryset or
    ids) for which no transfer was planned: the organiser had no connected account when
    the checkout was paid. It stays payable in the ledger."""
    transferred = Transfer.objects.filter(
        kind=Transfer.Kind.ORGANISER, checkout=OuterRef("checkout"),
        organiser=OuterRef("organiser"),
    )
    return LedgerEntry.objects.filter(
        kind=LedgerEntry.Kind.COMMISSION, checkout__state=Checkout.State.PAID,
        organiser__in=organisers,
    ).filter(~Exists(transferred))


def commission_payable(*, user) -> list[CommissionPayable]:
    """The commission payable to the user's organisers (every organiser for a platform
    admin), by organiser."""
    rows = (
        _commission_without_transfer(organisers_for_user(user))
        .values("organiser_id", "organiser__name", "organiser__stripe_account_id",
                "organiser__transfers_active")
        .annotate(total=Sum("amount_cents"))
        .order_by("organiser__name", "organiser_id")
    )
    return [
        CommissionPayable(row["organiser_id"], row["organiser__name"], row["total"],
                          connect_status(account_id=row["organiser__stripe_account_id"],
                                         transfers_active=row["organiser__transfers_active"]))
        for row in rows if row["total"] > 0
    ]


@dataclass(frozen=True)
class OrganiserCommission:
    """What an organiser's payout account screen says of its commission."""

    waiting_cents: int  # planned transfers not sent yet: they go once the account is active
    payable_cents: int  # booked while it had no account: no transfer, payable in the ledger


def organiser_commission(organiser: Organiser) -> OrganiserCommission:
    waiting = Transfer.objects.filter(
        kind=Transfer.Kind.ORGANISER, organiser=organiser, state=Transfer.State.PENDING,
    ).aggregate(total=Sum("amount_cents"))["total"] or 0
    payable = _commission_without_transfer([organiser.pk]).aggregate(
        total=Sum("amount_cents"))["total"] or 0
    return OrganiserCommission(waiting_cents=waiting, payable_cents=max(payable, 0))

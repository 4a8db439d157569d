"""Reads of the ledger: the one module where the shop's ledger is summed, for the pages,
the e-mails, the API, the payments' balance, the transfers and the reconciliation."""

from dataclasses import dataclass

from django.db.models import Sum

from shop.checkout.models import Checkout
from shop.orders.models import LedgerEntry, Order

PROJECT_KINDS = (LedgerEntry.Kind.SOLIDARITY, LedgerEntry.Kind.DONATION)


def _raised_entries():
    """The ledger entries that make what projects raise: shares of the items sold and the
    shoppers' donations, booked when a checkout is paid; cancelled units are booked as
    negative shares, so they come off."""
    return LedgerEntry.objects.filter(
        kind__in=(LedgerEntry.Kind.SOLIDARITY, LedgerEntry.Kind.DONATION),
        checkout__state=Checkout.State.PAID,
    )


def project_amount_raised_cents(project) -> int:
    """Money raised for a project, in cents, from the ledger of paid checkouts."""
    return _raised_entries().filter(project=project).aggregate(
        total=Sum("amount_cents", default=0)
    )["total"]


def project_contributions_count(project) -> int:
    """Paid checkouts that gave the project something (a share or a donation) and did
    not take it all back."""
    return (
        _raised_entries().filter(project=project).values("checkout_id").order_by()
        .annotate(total=Sum("amount_cents")).filter(total__gt=0).count()
    )


def amounts_raised_cents(projects) -> dict[int, int]:
    """{project id: cents raised} for several projects, in one query."""
    ids = [project.pk for project in projects]
    rows = (
        _raised_entries().filter(project_id__in=ids)
        .values("project_id").annotate(total=Sum("amount_cents")).order_by()
    )
    return {pk: 0 for pk in ids} | {row["project_id"]: row["total"] for row in rows}


def with_amounts_raised(projects) -> list:
    """The projects, each with `amount_raised_cents` set, for pages that list them."""
    projects = list(projects)
    amounts = amounts_raised_cents(projects)
    for project in projects:
        project.amount_raised_cents = amounts[project.pk]
    return projects


@dataclass(frozen=True)
class ProjectShare:
    project_id: int | None
    title: str
    solidarity_cents: int
    donation_cents: int

    @property
    def total_cents(self) -> int:
        return self.solidarity_cents + self.donation_cents


def checkout_project_shares(checkout: Checkout) -> list[ProjectShare]:
    """What each solidarity project receives from this checkout, from the ledger (so
    cancelled units are already taken off)."""
    rows = (
        LedgerEntry.objects.filter(
            checkout=checkout,
            kind__in=[LedgerEntry.Kind.SOLIDARITY, LedgerEntry.Kind.DONATION],
        )
        .values("project_id", "project__title", "kind")
        .annotate(total=Sum("amount_cents"))
        .order_by("project__title", "project_id")
    )
    shares: dict[int | None, dict] = {}
    for row in rows:
        share = shares.setdefault(row["project_id"], {
            "title": row["project__title"] or "", "solidarity": 0, "donation": 0,
        })
        key = "donation" if row["kind"] == LedgerEntry.Kind.DONATION else "solidarity"
        share[key] += row["total"]
    return [
        ProjectShare(project_id, data["title"], data["solidarity"], data["donation"])
        for project_id, data in shares.items()
        if data["solidarity"] or data["donation"]
    ]


def checkout_donation_cents(checkout: Checkout) -> int:
    return (
        LedgerEntry.objects.filter(checkout=checkout, kind=LedgerEntry.Kind.DONATION)
        .aggregate(total=Sum("amount_cents"))["total"] or 0
    )


def ledger_booked_cents(checkout: Checkout) -> int:
    """Every cent booked for `checkout` but the refunds: what charged − refunded must
    equal."""
    return LedgerEntry.objects.filter(checkout=checkout).exclude(
        kind=LedgerEntry.Kind.REFUND).aggregate(total=Sum("amount_cents", default=0))["total"]


def ledger_by_kind(checkout: Checkout) -> dict[str, int]:
    """{kind: cents} booked for `checkout`."""
    rows = checkout.ledger.values("kind").annotate(total=Sum("amount_cents")).order_by("kind")
    return {row["kind"]: row["total"] for row in rows}


def order_booked(order: Order) -> dict[tuple[str, int | None], int]:
    """{(kind, project id): cents} booked for a vendor order, refunds left out."""
    rows = (
        LedgerEntry.objects.filter(order=order)
        .exclude(kind=LedgerEntry.Kind.REFUND)
        .values("kind", "project_id")
        .annotate(total=Sum("amount_cents"))
    )
    return {(row["kind"], row["project_id"]): row["total"] for row in rows}


def order_vendor_net_cents(order: Order) -> int:
    """What the vendor keeps from `order`, after commission, shares and cancellations."""
    return LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.VENDOR_NET).aggregate(
        total=Sum("amount_cents", default=0))["total"]


def checkout_project_amounts(checkout: Checkout) -> dict[int, int]:
    """{project id: cents} of the solidarity shares and donations booked for `checkout`,
    for the projects still owed something."""
    rows = (
        LedgerEntry.objects.filter(checkout=checkout, kind__in=PROJECT_KINDS,
                                   project__isnull=False)
        .values("project_id").annotate(total=Sum("amount_cents")).order_by("project_id")
    )
    return {row["project_id"]: row["total"] for row in rows if row["total"] > 0}


def checkout_donations_by_project(checkout_id: int) -> dict[int | None, int]:
    """{project id: cents} of the shopper's donation still booked for the checkout."""
    rows = (
        LedgerEntry.objects.filter(checkout_id=checkout_id, kind=LedgerEntry.Kind.DONATION)
        .values("project_id").annotate(total=Sum("amount_cents")).order_by("project_id")
    )
    return {row["project_id"]: row["total"] for row in rows}


def order_commission_organiser_id(order: Order) -> int | None:
    """The organiser the commission of `order` was booked to, so that cancelled units come
    off that same organiser's commission."""
    return (
        LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.COMMISSION)
        .values_list("organiser_id", flat=True).order_by("pk").first()
    )


def checkout_organiser_commission(checkout: Checkout) -> dict[int, int]:
    """{organiser id: cents} of the commission booked for `checkout` to market organisers
    (cancellations taken off), for those still owed something."""
    rows = (
        LedgerEntry.objects.filter(checkout=checkout, kind=LedgerEntry.Kind.COMMISSION,
                                   organiser__isnull=False)
        .values("organiser_id").annotate(total=Sum("amount_cents")).order_by("organiser_id")
    )
    return {row["organiser_id"]: row["total"] for row in rows if row["total"] > 0}


def checkout_shopper_shares(checkout: Checkout) -> list[dict]:
    """The ledger as the shopper's confirmation shows it, in one query: rows of
    `order_id`, `kind`, `project__title` and `total` for the solidarity shares (per order
    and project), the donation (per project) and any payment fee; cancellations and
    refunded donations already taken off."""
    return list(
        LedgerEntry.objects.filter(
            checkout=checkout,
            kind__in=(*PROJECT_KINDS, LedgerEntry.Kind.PAYMENT_FEES),
        )
        .values("order_id", "kind", "project_id", "project__title")
        .annotate(total=Sum("amount_cents"))
        .order_by("kind", "project__title", "order_id")
    )

"""Reads of the ledger: what projects raised from paid checkouts. The one place the shop's
ledger is summed for pages, the API and reports."""

from django.db.models import Sum

from shop.checkout.models import Checkout
from shop.orders.models import LedgerEntry


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

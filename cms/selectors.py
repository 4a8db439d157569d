"""Reads that the pages and the API share."""

from django.db.models import Q, Sum
from django.utils import timezone

from shop.models import Checkout, LedgerEntry


def live_markets():
    from cms.models import MarketPage

    return MarketPage.objects.live().public()


def markets_for_home(*, now=None) -> dict:
    """Open and upcoming markets (paused ones count as open: they reopen soon)."""
    now = now or timezone.now()
    markets = live_markets()
    return {
        "open_markets": list(
            markets.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
        ),
        "upcoming_markets": list(markets.filter(opens_at__gt=now).order_by("opens_at")),
    }


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


def projects_for_market(market):
    from cms.models import SolidarityProjectPage

    return SolidarityProjectPage.objects.live().filter(
        Q(markets=market)
    ).order_by("title")


def markets_supporting(project):
    """Live markets that offer `project` to their shoppers, latest first."""
    return live_markets().filter(solidarity_projects=project).order_by("-opens_at")

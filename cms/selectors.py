"""Reads that the pages and the API share."""

from django.db.models import Q
from django.utils import timezone


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


def project_amount_raised_cents(project) -> int:
    """Money raised for a project, from the ledger once payments are booked."""
    return 0


def projects_for_market(market):
    from cms.models import SolidarityProjectPage

    return SolidarityProjectPage.objects.live().filter(
        Q(markets=market)
    ).order_by("title")


def markets_supporting(project):
    """Live markets that offer `project` to their shoppers, latest first."""
    return live_markets().filter(solidarity_projects=project).order_by("-opens_at")

"""End-of-market statements, printed from the back office: for a vendor, what it sold,
what went to the platform and to each project, what was refunded, what it was paid and
is still owed; for a project, what each vendor's shares and the shoppers' donations
brought. Figures from the same ledger sums as the exports."""

from dataclasses import dataclass

from django.db.models import F, Q, Sum

from markets.models import Market, MarketParticipation, SolidarityProject
from shop.models import LedgerEntry

from .exports.totals import (
    ProjectTotals,
    VendorTotals,
    project_totals,
    vendor_totals,
)
from .figures import paid_entries


@dataclass(frozen=True)
class Share:
    name: str
    amount_cents: int


@dataclass(frozen=True)
class VendorStatement:
    market: Market
    participation: MarketParticipation
    totals: VendorTotals
    shares_by_project: list[Share]


@dataclass(frozen=True)
class ProjectStatement:
    market: Market
    project: SolidarityProject
    totals: ProjectTotals
    shares_by_vendor: list[Share]


def vendor_statement(*, participation: MarketParticipation) -> VendorStatement:
    market = participation.market
    vendor = participation.vendor
    totals = vendor_totals(market_id=market.pk, vendor_id=vendor.pk)
    line = totals[0] if totals else VendorTotals(vendor.pk, vendor.name)
    rows = (
        paid_entries([market.pk])
        .filter(kind=LedgerEntry.Kind.SOLIDARITY, order__vendor_id=vendor.pk)
        .values(title=F("project__title")).annotate(total=Sum("amount_cents"))
        .order_by("title")
    )
    shares = [Share(row["title"] or "", row["total"]) for row in rows if row["total"]]
    return VendorStatement(market, participation, line, shares)


def project_statement(*, market: Market, project: SolidarityProject) -> ProjectStatement:
    totals = project_totals(market_id=market.pk, project_id=project.pk)
    line = totals[0] if totals else ProjectTotals(project.pk, project.title)
    rows = (
        paid_entries([market.pk])
        .filter(kind=LedgerEntry.Kind.SOLIDARITY, project_id=project.pk)
        .values(name=F("order__vendor__name")).annotate(total=Sum("amount_cents"))
        .order_by("name")
    )
    shares = [Share(row["name"] or "", row["total"]) for row in rows if row["total"]]
    return ProjectStatement(market, project, line, shares)


def statement_choices(market: Market) -> dict:
    """What the statements index of a market lists: its vendors and its projects."""
    participations = (
        MarketParticipation.objects.filter(market=market,
                                           state=MarketParticipation.State.APPROVED)
        .select_related("vendor").order_by("vendor__name")
    )
    projects = SolidarityProject.objects.filter(
        Q(markets=market) | Q(ledger_entries__checkout__market=market)
    ).distinct().order_by("title")
    return {"participations": participations, "projects": projects}

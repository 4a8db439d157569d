"""Who may export and print what. An organiser reaches its markets' exports and
statements (a platform admin all of them); a vendor's members reach the exports they
made for their vendor and its own statement, in the markets it sells in."""

from django.db.models import Q, QuerySet

from markets.models import Market, MarketParticipation
from markets.selectors import is_organiser, market_ids_for_organiser_user
from vendors.selectors import vendor_ids_for_member

from ..models import ReportExport


def organiser_markets(user) -> QuerySet[Market]:
    """The markets `user` may export as an organiser, latest first."""
    markets = Market.objects.all()
    if not user.is_superuser:
        markets = markets.filter(pk__in=market_ids_for_organiser_user(user) or [])
    return markets.order_by("-opens_at", "pk")


def vendor_participations(user) -> QuerySet[MarketParticipation]:
    """The approved participations of the user's vendors: where it may export its own."""
    return (
        MarketParticipation.objects.filter(
            vendor_id__in=vendor_ids_for_member(user),
            state=MarketParticipation.State.APPROVED,
        ).select_related("market", "vendor").order_by("-market__opens_at", "pk")
    )


def exports_visible_to(user) -> QuerySet[ReportExport]:
    if not user.is_authenticated:
        return ReportExport.objects.none()
    exports = ReportExport.objects.select_related("market", "vendor", "requested_by")
    if user.is_superuser:
        return exports
    reach = Q(vendor_id__in=vendor_ids_for_member(user))
    if is_organiser(user):
        reach |= Q(market_id__in=market_ids_for_organiser_user(user) or [])
    return exports.filter(reach)


def may_see_market(user, market_id: int) -> bool:
    """An organiser of the market, or a platform admin: every vendor and project of it."""
    if user.is_superuser:
        return True
    return market_id in (market_ids_for_organiser_user(user) or [])


def may_see_vendor_statement(user, participation: MarketParticipation) -> bool:
    return (may_see_market(user, participation.market_id)
            or participation.vendor_id in vendor_ids_for_member(user))

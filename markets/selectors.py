"""Reads on markets and organisers: who runs which market, which markets are live."""

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from vendors.models import Vendor

from .models import (
    Market,
    MarketParticipation,
    MarketStatus,
    Organiser,
    SolidarityProject,
)
from .status import market_running_filter, market_status_filter


def organisers_for_user(user) -> QuerySet[Organiser]:
    if not user.is_authenticated:
        return Organiser.objects.none()
    if user.is_superuser:
        return Organiser.objects.all()
    return Organiser.objects.filter(memberships__user=user)


def is_organiser(user) -> bool:
    """Asked by every entry of the « Marchés » menu, so kept on the user for the request."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_organiser", None)
    if cached is None:
        cached = user._is_organiser = user.organiser_memberships.exists()
    return cached


def organiser_space_paths(user) -> list[str]:
    """Tree paths of the spaces (market index pages) of the user's organisers."""
    return list(
        Organiser.objects.filter(memberships__user=user, market_indexes__isnull=False)
        .values_list("market_indexes__path", flat=True)
    )


def market_ids_for_organiser_user(user) -> list[int] | None:
    """Ids of the market pages under the user's organisers' indexes; None means all.
    Asked by every scoped permission check, so kept on the user for the request."""
    if user.is_superuser:
        return None
    cached = getattr(user, "_organiser_market_ids", None)
    if cached is not None:
        return cached
    market_ids: list[int] = []
    if spaces := organiser_space_paths(user):
        under_a_space = Q()
        for path in spaces:
            under_a_space |= Q(path__startswith=path, depth=len(path) // Market.steplen + 1)
        market_ids = list(Market.objects.filter(under_a_space).values_list("pk", flat=True))
    user._organiser_market_ids = market_ids
    return market_ids


def vendors_visible_to(user) -> QuerySet[Vendor]:
    """Vendors a user may look at in the back office: all for a platform admin, those
    taking part in (or applying to) its markets for an organiser, its own for a vendor."""
    if not user.is_authenticated:
        return Vendor.objects.none()
    if user.is_superuser:
        return Vendor.objects.all()
    own = Vendor.objects.filter(memberships__user=user)
    market_ids = market_ids_for_organiser_user(user)
    if market_ids:
        in_markets = Vendor.objects.filter(participations__market_id__in=market_ids)
        return (own | in_markets).distinct()
    return own


def vendor_sells_in(market, *, via: str = "") -> Q:
    """The rule for a vendor selling in `market`: the vendor is approved and so is its
    participation there. `via` is the lookup from the queried model to the vendor
    (« vendor__ » for products)."""
    return Q(**{
        f"{via}status": Vendor.Status.APPROVED,
        f"{via}participations__market": market,
        f"{via}participations__state": MarketParticipation.State.APPROVED,
    })


def live_markets():
    return Market.objects.live().public()


def live_market(pk: int) -> Market | None:
    return live_markets().filter(pk=pk).first()


def markets_for_home(*, now=None) -> dict:
    """Open and upcoming markets (paused ones count as open: they reopen soon)."""
    now = now or timezone.now()
    markets = live_markets()
    return {
        "open_markets": list(
            markets.filter(market_running_filter(now=now)).order_by("closes_at")
        ),
        "upcoming_markets": list(
            markets.filter(market_status_filter(MarketStatus.UPCOMING, now=now))
            .order_by("opens_at")
        ),
    }


def projects_for_market(market):
    return SolidarityProject.objects.live().filter(markets=market).order_by("title")


def markets_supporting(project):
    """Live markets that offer `project` to their shoppers, latest first."""
    return live_markets().filter(solidarity_projects=project).order_by("-opens_at")


def markets_of_vendor(vendor: Vendor) -> QuerySet[Market]:
    """Live markets where the vendor's participation is approved."""
    return live_markets().filter(
        participations__vendor=vendor,
        participations__state=MarketParticipation.State.APPROVED,
    ).order_by("opens_at", "pk")


def organisers_by_market(markets) -> dict:
    """{market pk: organiser} in one query, from each market's parent index page
    (`Market.organiser` costs a query per market)."""
    parent_paths = {market.pk: market.path[: -Market.steplen] for market in markets}
    rows = Organiser.objects.filter(
        market_indexes__path__in=set(parent_paths.values())
    ).annotate(index_path=F("market_indexes__path"))
    organiser_by_path = {organiser.index_path: organiser for organiser in rows}
    return {pk: organiser_by_path.get(path) for pk, path in parent_paths.items()}


def approved_vendors_in_live_markets() -> QuerySet[Vendor]:
    """Approved vendors with an approved place in a live market."""
    return Vendor.objects.filter(
        status=Vendor.Status.APPROVED,
        participations__state=MarketParticipation.State.APPROVED,
        participations__market__in=live_markets(),
    )


def pages_in_reach(user) -> Q | None:
    """The pages a user may come across in the back office's tree: an organiser's whole
    space; for a vendor, the markets it takes part in and the projects they support (it
    chooses them for its products); and the pages above them (the home page). None means
    every page (platform admins). Kept on the user for the request."""
    if user.is_superuser:
        return None
    cached = getattr(user, "_pages_in_reach", None)
    if cached is not None:
        return cached
    spaces = organiser_space_paths(user)
    markets = Market.objects.filter(participations__vendor__memberships__user=user)
    pages = dict(markets.values_list("pk", "path"))
    pages |= dict(SolidarityProject.objects.filter(markets__in=markets.values("pk"))
                  .values_list("pk", "path"))
    reach = Q(pk__in=list(pages))
    for space in spaces:
        reach |= Q(path__startswith=space)
    ancestors = {
        path[:end]
        for path in [*spaces, *pages.values()]
        for end in range(Market.steplen, len(path), Market.steplen)
    }
    user._pages_in_reach = reach | Q(path__in=ancestors)
    return user._pages_in_reach


def commission_rates(*, market: Market, vendor_ids) -> dict[int, int]:
    """{vendor id: basis points} each vendor pays in `market` today: the rate the organiser
    set for it, else the market's."""
    vendor_ids = set(vendor_ids)
    own = dict(
        MarketParticipation.objects.filter(
            market=market, vendor_id__in=vendor_ids, commission_bps__isnull=False,
        ).values_list("vendor_id", "commission_bps")
    ) if vendor_ids else {}
    return {vendor_id: own.get(vendor_id, market.commission_bps) for vendor_id in vendor_ids}


def participation_commission_bps(participation: MarketParticipation) -> int:
    """The rate a vendor pays in the market of `participation` (its market read)."""
    if participation.commission_bps is not None:
        return participation.commission_bps
    return participation.market.commission_bps

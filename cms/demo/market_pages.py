"""The demo's markets: created with their vendors, pick-up points and projects when missing;
afterwards only their dates follow today (so the open market stays open), and only while no
person has edited the market: its organiser's changes, decisions and removals stay."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from cms.models import MarketPage
from markets.models import MarketParticipation, PickupPoint
from markets.slots import SlotPlan, pickup_slots_generate

from .data import MarketData
from .pages import child_page_get_or_create, day_at, edited_by_someone, publish
from .result import DemoResult


def build_market(result: DemoResult, data: MarketData, *, now: datetime | None) -> None:
    opens_at = day_at(data.opens_in_days, 10, now=now)
    closes_at = day_at(data.closes_in_days, 19, now=now)
    market, created = child_page_get_or_create(
        result.indexes[data.organiser], MarketPage, slug=data.slug,
        title=data.title, intro=data.intro, opens_at=opens_at, closes_at=closes_at,
        commission_bps=data.commission_bps, shipping_allowed=data.shipping_allowed,
    )
    if created:
        market = _furnish(result, market, data)
    elif (market.opens_at, market.closes_at) != (opens_at, closes_at) and not (
            edited_by_someone(market)):
        market.opens_at, market.closes_at = opens_at, closes_at
        market = publish(market)
        result.moved_markets.add(data.slug)
    else:
        result.markets[data.slug] = market
        return
    _open_pickup_slots(market, now=now)
    result.markets[data.slug] = market


def _furnish(result: DemoResult, market: MarketPage, data: MarketData) -> MarketPage:
    """A new market's vendors, pick-up points, projects and banner, in one revision."""
    for position, (vendor_slug, state) in enumerate(data.participations.items()):
        MarketParticipation.objects.create(
            market=market, vendor=result.vendors[vendor_slug], state=state,
            sort_order=position,
        )
    for position, point in enumerate(data.pickup_points):
        PickupPoint.objects.create(
            market=market, name=point.name, sort_order=position, address=point.address,
            postcode=point.postcode, city=point.city, opening_hours=point.opening_hours,
        )
    market.solidarity_projects.set([result.projects[slug] for slug in data.projects])
    market.banner = result.illustration(
        result.organiser_collection(data.organiser), title=data.title,
        label=result.organisers[data.organiser].name, family="artisanat",
        file_name=f"marche-{data.slug}.png", size=(1200, 400),
    )
    market.accent_color = data.accent_color
    return publish(market)


def _open_pickup_slots(market: MarketPage, *, now: datetime | None) -> None:
    """The open market's points take baskets on Wednesdays and Saturdays, 10:00–18:00, in
    one-hour slots of 8, until it closes; slots already there are kept."""
    now = now or timezone.now()
    if not market.opens_at <= now < market.closes_at:
        return
    plan = SlotPlan(first_day=timezone.localdate(now),
                    last_day=timezone.localdate(market.closes_at), from_time=time(10),
                    to_time=time(18), length=timedelta(hours=1), capacity=8,
                    weekdays=frozenset({2, 5}))
    for point in PickupPoint.objects.filter(market=market):
        pickup_slots_generate(point=point, plan=plan)

"""A market's headline, days and vendors for its dashboard, read from its ledger
in four grouped queries: the money of its paid checkouts per day of payment
(Europe/Paris) and per vendor, and its orders still standing per day and per vendor. The
headline is the sum of the days, so it agrees with the chart by day, and with
`figures.markets_headlines`, to the cent."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from .figures import SALES_KINDS, Headline, Kind, cents_of, paid_entries, sold_orders


@dataclass(frozen=True)
class DayFigure:
    day: datetime.date
    sales_cents: int
    orders: int


@dataclass(frozen=True)
class VendorFigure:
    vendor_id: int
    name: str
    sales_cents: int
    commission_cents: int
    solidarity_cents: int
    refund_cents: int
    orders: int


@dataclass(frozen=True)
class MarketOverview:
    headline: Headline
    days: list[DayFigure]
    vendors: list[VendorFigure]


MONEY = {"sales": SALES_KINDS, "commission": (Kind.COMMISSION,),
         "solidarity": (Kind.SOLIDARITY,), "donation": (Kind.DONATION,),
         "fees": (Kind.PAYMENT_FEES,), "refund": (Kind.REFUND,)}


def _payment_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _market_days(market, *, today: datetime.date) -> list[datetime.date]:
    """Every day of the market, Europe/Paris, up to today while it runs."""
    first = timezone.localdate(market.opens_at)
    last = min(timezone.localdate(market.closes_at), max(today, first))
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def _day_money(market) -> list[dict]:
    """The market's ledger summed per day of payment."""
    return list(
        paid_entries([market.pk]).values(day=_payment_day("checkout__paid_at")).order_by()
        .annotate(**{name: cents_of(kinds) for name, kinds in MONEY.items()})
    )


def _vendor_money(market) -> list[dict]:
    return list(
        paid_entries([market.pk]).filter(order__isnull=False)
        .values("order__vendor_id", "order__vendor__name").order_by()
        .annotate(**{name: cents_of(MONEY[name])
                     for name in ("sales", "commission", "solidarity", "refund")})
    )


def _day_orders(market) -> dict[datetime.date, tuple[int, int]]:
    """{day of payment: (orders still standing, baskets holding them)}."""
    rows = (
        sold_orders([market.pk]).values_list(_payment_day("checkout__paid_at")).order_by()
        .annotate(Count("pk"), Count("checkout", distinct=True))
    )
    return {day: (orders, baskets) for day, orders, baskets in rows}


def _vendor_orders(market) -> dict[int, int]:
    return dict(sold_orders([market.pk]).values_list("vendor_id").order_by()
                .annotate(Count("pk")))


def market_overview(market, *, today: datetime.date | None = None) -> MarketOverview:
    """The dashboard's headline, its sales and orders per day across the market's dates
    (a later cancellation comes off the day the checkout was paid), every vendor that
    sold or refunded, best sales first. Four queries whatever the market's size."""
    day_money, day_orders = _day_money(market), _day_orders(market)
    vendor_orders = _vendor_orders(market)
    totals = {name: sum(row[name] for row in day_money) for name in MONEY}
    headline = Headline(
        sales_cents=totals["sales"], commission_cents=totals["commission"],
        solidarity_cents=totals["solidarity"], donation_cents=totals["donation"],
        fees_cents=totals["fees"], refund_cents=totals["refund"],
        orders=sum(orders for orders, _ in day_orders.values()),
        baskets=sum(baskets for _, baskets in day_orders.values()),
        vendors=len(vendor_orders),
    )
    day_sales = {row["day"]: row["sales"] for row in day_money}
    days = sorted(set(_market_days(market, today=today or timezone.localdate()))
                  | set(day_sales) | set(day_orders))
    vendors = [
        VendorFigure(row["order__vendor_id"], row["order__vendor__name"], row["sales"],
                     row["commission"], row["solidarity"], row["refund"],
                     vendor_orders.get(row["order__vendor_id"], 0))
        for row in _vendor_money(market)
    ]
    return MarketOverview(
        headline=headline,
        days=[DayFigure(day, day_sales.get(day, 0), day_orders.get(day, (0, 0))[0])
              for day in days],
        vendors=sorted(vendors, key=lambda f: (-f.sales_cents, f.name)),
    )

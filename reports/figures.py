"""Market-wide figures, read from the ledger of paid checkouts so that they equal the
money to the cent.

How the ledger books a checkout (`shop.orders.completion`, `shop.orders.services`,
`shop.orders.refunds`): each served vendor order books its vendor net, commission and
solidarity shares (gross, shipping included, is their sum); the shopper's donation is
booked per project; money given back is one positive REFUND entry, and the shares it
came from are booked again as negative entries (cancelled units, a refunded donation, a
refund the platform bears out of its commission). So, for a market:
sales = vendor net + commission + solidarity, net of cancellations, and
sales + donations + fees = charged − refunded.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from shop.checkout.models import Checkout
from shop.money import mean_cents
from shop.orders.models import LedgerEntry, Order, OrderLine

Kind = LedgerEntry.Kind
SALES_KINDS = (Kind.VENDOR_NET, Kind.COMMISSION, Kind.SOLIDARITY)
# Orders still standing: served, and not refunded in full.
SOLD_STATES = (Order.State.PAID, Order.State.READY, Order.State.FULFILLED,
               Order.State.PARTIALLY_REFUNDED)
PICKUP_POINT_FIELDS = ("pickup_point_id", "pickup_point__name")


def _cents(kinds, **extra) -> Sum:
    return Sum("amount_cents", filter=Q(kind__in=kinds, **extra), default=0)


def _entries(market_ids):
    return LedgerEntry.objects.filter(checkout__market_id__in=market_ids,
                                      checkout__state=Checkout.State.PAID)


def _sold_orders(market_ids):
    return Order.objects.filter(checkout__market_id__in=market_ids,
                                checkout__state=Checkout.State.PAID, state__in=SOLD_STATES)


@dataclass(frozen=True)
class Headline:
    """A market's figures at a glance, in cents."""

    sales_cents: int = 0
    commission_cents: int = 0
    solidarity_cents: int = 0
    donation_cents: int = 0
    fees_cents: int = 0
    refund_cents: int = 0
    baskets: int = 0
    orders: int = 0
    vendors: int = 0

    @property
    def average_basket_cents(self) -> int:
        return mean_cents(self.sales_cents, self.baskets)

    @property
    def vendor_net_cents(self) -> int:
        return self.sales_cents - self.commission_cents - self.solidarity_cents

    @property
    def projects_cents(self) -> int:
        return self.solidarity_cents + self.donation_cents

    @property
    def received_cents(self) -> int:
        """What shoppers paid and kept paid: charged − refunded."""
        return self.sales_cents + self.donation_cents + self.fees_cents


def markets_headlines(market_ids) -> dict[int, Headline]:
    """{market id: Headline} for several markets, in two queries."""
    market_ids = list(market_ids)
    money = (
        _entries(market_ids).values(market_id=F("checkout__market_id")).order_by()
        .annotate(
            sales=_cents(SALES_KINDS), commission=_cents([Kind.COMMISSION]),
            solidarity=_cents([Kind.SOLIDARITY]), donation=_cents([Kind.DONATION]),
            fees=_cents([Kind.PAYMENT_FEES]), refund=_cents([Kind.REFUND]),
        )
    )
    counts = {
        row["market_id"]: row
        for row in _sold_orders(market_ids).values(market_id=F("checkout__market_id"))
        .order_by().annotate(orders=Count("pk"), vendors=Count("vendor", distinct=True),
                             baskets=Count("checkout", distinct=True))
    }
    headlines = {pk: Headline() for pk in market_ids}
    for row in money:
        count = counts.get(row["market_id"], {})
        headlines[row["market_id"]] = Headline(
            sales_cents=row["sales"], commission_cents=row["commission"],
            solidarity_cents=row["solidarity"], donation_cents=row["donation"],
            fees_cents=row["fees"], refund_cents=row["refund"],
            baskets=count.get("baskets", 0), orders=count.get("orders", 0),
            vendors=count.get("vendors", 0),
        )
    return headlines


def market_headline(market) -> Headline:
    return markets_headlines([market.pk])[market.pk]


@dataclass(frozen=True)
class DayFigure:
    day: datetime.date
    sales_cents: int
    orders: int


def _market_days(market, *, today: datetime.date) -> list[datetime.date]:
    """Every day of the market, Europe/Paris, up to today while it runs."""
    first = timezone.localdate(market.opens_at)
    last = min(timezone.localdate(market.closes_at), max(today, first))
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def market_sales_by_day(market, *, today: datetime.date | None = None) -> list[DayFigure]:
    """Sales and orders per day of payment (Europe/Paris) across the market's dates; a
    later cancellation comes off the day the checkout was paid."""
    paris = ZoneInfo(settings.TIME_ZONE)
    day = TruncDate("checkout__paid_at", tzinfo=paris)
    sales = dict(
        _entries([market.pk]).filter(kind__in=SALES_KINDS).values_list(day)
        .order_by().annotate(total=Sum("amount_cents"))
    )
    orders = dict(
        _sold_orders([market.pk]).values_list(day).order_by().annotate(count=Count("pk"))
    )
    days = sorted(set(_market_days(market, today=today or timezone.localdate()))
                  | set(sales) | set(orders))
    return [DayFigure(day, sales.get(day, 0), orders.get(day, 0)) for day in days]


@dataclass(frozen=True)
class VendorFigure:
    vendor_id: int
    name: str
    sales_cents: int
    commission_cents: int
    solidarity_cents: int
    refund_cents: int
    orders: int


def market_sales_by_vendor(market) -> list[VendorFigure]:
    """Every vendor that sold or refunded in the market, best sales first."""
    rows = (
        _entries([market.pk]).filter(order__isnull=False)
        .values("order__vendor_id", "order__vendor__name").order_by()
        .annotate(sales=_cents(SALES_KINDS), commission=_cents([Kind.COMMISSION]),
                  solidarity=_cents([Kind.SOLIDARITY]), refund=_cents([Kind.REFUND]))
    )
    orders = dict(
        _sold_orders([market.pk]).values_list("vendor_id").order_by().annotate(Count("pk"))
    )
    figures = [
        VendorFigure(row["order__vendor_id"], row["order__vendor__name"], row["sales"],
                     row["commission"], row["solidarity"], row["refund"],
                     orders.get(row["order__vendor_id"], 0))
        for row in rows
    ]
    return sorted(figures, key=lambda f: (-f.sales_cents, f.name))


@dataclass(frozen=True)
class CategoryFigure:
    category_id: int | None
    name: str
    sales_cents: int
    units: int


def market_sales_by_category(market) -> list[CategoryFigure]:
    """Items sold per product category (shipping aside, cancelled units taken off), from
    the order lines' price snapshots; best first. A deleted product has no category."""
    units = F("quantity") - F("cancelled_quantity")
    rows = (
        OrderLine.objects.filter(order__checkout__market=market,
                                 order__checkout__state=Checkout.State.PAID)
        .values("product__category_id", "product__category__name").order_by()
        .annotate(sales=Sum(F("unit_price_cents") * units), units=Sum(units))
        .filter(units__gt=0)
    )
    figures = [
        CategoryFigure(row["product__category_id"], row["product__category__name"] or "",
                       row["sales"], row["units"])
        for row in rows
    ]
    return sorted(figures, key=lambda f: (-f.sales_cents, f.name))


@dataclass(frozen=True)
class ProjectFigure:
    project_id: int | None
    title: str
    solidarity_cents: int
    donation_cents: int
    contributions: int

    @property
    def total_cents(self) -> int:
        return self.solidarity_cents + self.donation_cents


def market_project_amounts(market) -> list[ProjectFigure]:
    """What each solidarity project received in the market: the shares of the items
    sold and the shoppers' donations, net of refunds, with the number of checkouts that
    gave it something; largest first."""
    rows = (
        _entries([market.pk]).filter(kind__in=(Kind.SOLIDARITY, Kind.DONATION))
        .values("project_id", "project__title").order_by()
        .annotate(solidarity=_cents([Kind.SOLIDARITY]), donation=_cents([Kind.DONATION]),
                  checkouts=Count("checkout", distinct=True))
    )
    figures = [
        ProjectFigure(row["project_id"], row["project__title"] or "", row["solidarity"],
                      row["donation"], row["checkouts"])
        for row in rows if row["solidarity"] or row["donation"]
    ]
    return sorted(figures, key=lambda f: (-f.total_cents, f.title))


@dataclass(frozen=True)
class PickupLoad:
    """Orders collected at one place (None: shipped), by how far they are."""

    pickup_point_id: int | None
    name: str
    to_prepare: int
    ready: int
    handed_over: int
    extra: tuple = ()

    @property
    def total(self) -> int:
        return self.to_prepare + self.ready + self.handed_over


def market_pickup_load(market, *, group_by: tuple[str, ...] = PICKUP_POINT_FIELDS
                       ) -> list[PickupLoad]:
    """Orders still standing per pick-up point. `group_by` starts with the point's id and
    name; fields after them (a time slot) split each point further into `extra`."""
    state = Order.State
    rows = (
        _sold_orders([market.pk]).values(*group_by).order_by()
        .annotate(
            to_prepare=Count("pk", filter=Q(state__in=(state.PAID,
                                                       state.PARTIALLY_REFUNDED))),
            ready=Count("pk", filter=Q(state=state.READY)),
            handed_over=Count("pk", filter=Q(state=state.FULFILLED)),
        )
    )
    loads = [
        PickupLoad(row[group_by[0]], row[group_by[1]] or "", row["to_prepare"],
                   row["ready"], row["handed_over"],
                   tuple(row[field] for field in group_by[2:]))
        for row in rows
    ]
    return sorted(loads, key=lambda load: (load.pickup_point_id is None, load.name,
                                           load.pickup_point_id or 0,
                                           tuple(str(v) for v in load.extra)))


@dataclass(frozen=True)
class Refunds:
    """Money given back in the market: units of vendor orders, and the checkout as a
    whole (a donation, a refund no order accounts for)."""

    orders_cents: int = 0
    orders_checkouts: int = 0
    other_cents: int = 0
    other_checkouts: int = 0

    @property
    def total_cents(self) -> int:
        return self.orders_cents + self.other_cents


def market_refunds(market) -> Refunds:
    on_order, off_order = Q(order__isnull=False), Q(order__isnull=True)
    totals = _entries([market.pk]).filter(kind=Kind.REFUND).aggregate(
        orders_cents=Sum("amount_cents", filter=on_order, default=0),
        orders_checkouts=Count("checkout", filter=on_order, distinct=True),
        other_cents=Sum("amount_cents", filter=off_order, default=0),
        other_checkouts=Count("checkout", filter=off_order, distinct=True),
    )
    return Refunds(**totals)

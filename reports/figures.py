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

from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from shop.checkout.models import Checkout
from shop.money import mean_cents
from shop.orders.models import LedgerEntry, Order, OrderLine

Kind = LedgerEntry.Kind
SALES_KINDS = (Kind.VENDOR_NET, Kind.COMMISSION, Kind.SOLIDARITY)
# Orders still standing: served, and not refunded in full.
SOLD_STATES = (Order.State.PAID, Order.State.READY, Order.State.FULFILLED,
               Order.State.PARTIALLY_REFUNDED)
PICKUP_POINT_FIELDS = ("pickup_point_id", "pickup_point__name")


def cents_of(kinds, **extra) -> Sum:
    return Sum("amount_cents", filter=Q(kind__in=kinds, **extra), default=0)


def paid_entries(market_ids):
    return LedgerEntry.objects.filter(checkout__market_id__in=market_ids,
                                      checkout__state=Checkout.State.PAID)


def sold_orders(market_ids):
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
        paid_entries(market_ids).values(market_id=F("checkout__market_id")).order_by()
        .annotate(
            sales=cents_of(SALES_KINDS), commission=cents_of([Kind.COMMISSION]),
            solidarity=cents_of([Kind.SOLIDARITY]), donation=cents_of([Kind.DONATION]),
            fees=cents_of([Kind.PAYMENT_FEES]), refund=cents_of([Kind.REFUND]),
        )
    )
    counts = {
        row["market_id"]: row
        for row in sold_orders(market_ids).values(market_id=F("checkout__market_id"))
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
        paid_entries([market.pk]).filter(kind__in=(Kind.SOLIDARITY, Kind.DONATION))
        .values("project_id", "project__title").order_by()
        .annotate(solidarity=cents_of([Kind.SOLIDARITY]), donation=cents_of([Kind.DONATION]),
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
        sold_orders([market.pk]).values(*group_by).order_by()
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
    totals = paid_entries([market.pk]).filter(kind=Kind.REFUND).aggregate(
        orders_cents=Sum("amount_cents", filter=on_order, default=0),
        orders_checkouts=Count("checkout", filter=on_order, distinct=True),
        other_cents=Sum("amount_cents", filter=off_order, default=0),
        other_checkouts=Count("checkout", filter=off_order, distinct=True),
    )
    return Refunds(**totals)

"""A vendor's own figures (« Mes chiffres »): its sales by day of payment and by product,
what it kept, the commission and solidarity shares its sales gave, what was refunded, and
the payouts it received. Read from the ledger of its own orders only, so they agree with
the market's figures to the cent, and never show another vendor's."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Sum
from django.db.models.functions import TruncDate

from payments.models import Transfer
from shop.checkout.models import Checkout
from shop.orders.models import LedgerEntry, Order, OrderLine

from .figures import SALES_KINDS, SOLD_STATES, Kind, cents_of

TOP_PRODUCTS = 15


@dataclass(frozen=True)
class ProductFigure:
    title: str
    units: int
    sales_cents: int


@dataclass(frozen=True)
class VendorFigures:
    sales_cents: int
    vendor_net_cents: int
    commission_cents: int
    solidarity_cents: int
    refund_cents: int
    orders: int
    payouts_cents: int
    days: list[tuple[datetime.date, int]]
    products: list[ProductFigure]


def _entries(vendor_id: int):
    return LedgerEntry.objects.filter(order__vendor_id=vendor_id,
                                      checkout__state=Checkout.State.PAID)


def _products(vendor_id: int) -> list[ProductFigure]:
    kept = F("quantity") - F("cancelled_quantity")
    rows = (
        OrderLine.objects.filter(order__vendor_id=vendor_id,
                                 order__checkout__state=Checkout.State.PAID,
                                 order__state__in=SOLD_STATES)
        .values("title").order_by()
        .annotate(units=Sum(kept), sales=Sum(kept * F("unit_price_cents")))
        .filter(units__gt=0).order_by("-sales", "title")[:TOP_PRODUCTS]
    )
    return [ProductFigure(row["title"], row["units"], row["sales"]) for row in rows]


def vendor_figures(*, vendor_id: int) -> VendorFigures:
    """Five grouped queries, whatever the number of orders."""
    entries = _entries(vendor_id)
    totals = entries.aggregate(
        sales=cents_of(SALES_KINDS), net=cents_of((Kind.VENDOR_NET,)),
        commission=cents_of((Kind.COMMISSION,)), solidarity=cents_of((Kind.SOLIDARITY,)),
        refund=cents_of((Kind.REFUND,)),
    )
    days = (
        entries.values(day=TruncDate("checkout__paid_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .order_by("day").annotate(sales=cents_of(SALES_KINDS))
    )
    payouts = Transfer.objects.filter(
        kind=Transfer.Kind.VENDOR, order__vendor_id=vendor_id, state=Transfer.State.SENT,
    ).aggregate(total=Sum(F("amount_cents") - F("reversed_cents"), default=0))["total"]
    return VendorFigures(
        sales_cents=totals["sales"], vendor_net_cents=totals["net"],
        commission_cents=totals["commission"], solidarity_cents=totals["solidarity"],
        refund_cents=totals["refund"],
        orders=Order.objects.filter(vendor_id=vendor_id, checkout__state=Checkout.State.PAID,
                                    state__in=SOLD_STATES).count(),
        payouts_cents=payouts,
        days=[(row["day"], row["sales"]) for row in days],
        products=_products(vendor_id),
    )

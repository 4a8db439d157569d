"""The vendor's dashboard: its catalogue at a glance, its markets and its orders."""

from django.db.models import Count, Q, Sum
from django.utils import timezone

from markets.selectors import participation_commission_bps
from shop.catalogue.models import Product
from shop.orders.models import Order
from vendors.models import Vendor

LOW_STOCK_THRESHOLD = 2


def vendor_dashboard(*, vendor: Vendor) -> dict:
    """What a vendor sees first in its space: its catalogue at a glance and its markets."""

    products = vendor.products.all()
    counts = products.aggregate(
        total=Count("pk"),
        on_sale=Count("pk", filter=Q(is_active=True, stock__gt=0)),
        sold_out=Count("pk", filter=Q(is_active=True, stock=0)),
        off_sale=Count("pk", filter=Q(is_active=False)),
    )
    low_stock = list(
        products.filter(is_active=True, condition=Product.Condition.NEW, stock__gt=0,
                        stock__lte=LOW_STOCK_THRESHOLD)
        .order_by("stock", "title")[:10]
    )
    sold_out = list(products.filter(is_active=True, stock=0).order_by("-updated_at")[:10])
    participations = list(
        vendor.participations.select_related("market").order_by("-market__pk")
    )
    for participation in participations:
        participation.commission_rate = participation_commission_bps(participation)
    return {
        "vendor": vendor,
        "counts": counts,
        "low_stock": low_stock,
        "sold_out": sold_out,
        "participations": participations,
        "orders": vendor_orders_summary(vendor=vendor),
    }


ORDERS_TO_PREPARE = (Order.State.PAID, Order.State.PARTIALLY_REFUNDED)
ORDERS_SOLD = (Order.State.PAID, Order.State.READY, Order.State.FULFILLED,
               Order.State.PARTIALLY_REFUNDED)


def market_season_start(now=None):
    """Christmas markets run from November to January: a season starts on 1 July."""

    today = timezone.localtime(now or timezone.now())
    year = today.year if today.month >= 7 else today.year - 1
    return today.replace(year=year, month=7, day=1, hour=0, minute=0, second=0, microsecond=0)


def vendor_orders_summary(*, vendor: Vendor, now=None) -> dict:
    """Orders still to prepare, and the sales of the market season (gross of the units
    kept, shipping included)."""

    season = Q(state__in=ORDERS_SOLD, paid_at__gte=market_season_start(now))
    return vendor.orders.aggregate(
        to_prepare=Count("pk", filter=Q(state__in=ORDERS_TO_PREPARE)),
        season_count=Count("pk", filter=season),
        season_gross_cents=Sum("gross_cents", filter=season, default=0),
    )

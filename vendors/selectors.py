"""Who may see what: the vendors and markets a user works for."""

from django.db.models import Q, QuerySet
from wagtail.models import Page

from .models import Organiser, Vendor


def vendor_for_user(user) -> Vendor | None:
    """The vendor a user works for (the first one if, rarely, several)."""
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_vendor_for_user", ...)
    if cache is ...:
        cache = (
            Vendor.objects.filter(memberships__user=user).order_by("memberships__pk").first()
        )
        user._vendor_for_user = cache
    return cache


def vendor_ids_for_member(user) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(Vendor.objects.filter(memberships__user=user).values_list("pk", flat=True))


def organisers_for_user(user) -> QuerySet[Organiser]:
    if not user.is_authenticated:
        return Organiser.objects.none()
    if user.is_superuser:
        return Organiser.objects.all()
    return Organiser.objects.filter(memberships__user=user)


def is_organiser(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.organiser_memberships.exists()
    )


def market_ids_for_organiser_user(user) -> list[int] | None:
    """Ids of the market pages under the user's organisers' indexes; None means all.
    Asked by every scoped permission check, so kept on the user for the request."""
    if user.is_superuser:
        return None
    cached = getattr(user, "_organiser_market_ids", None)
    if cached is not None:
        return cached
    index_paths = list(
        Page.objects.filter(
            marketindexpage__organiser__memberships__user=user
        ).values_list("path", "depth")
    )
    market_ids: list[int] = []
    if index_paths:
        under_an_index = Q()
        for path, depth in index_paths:
            under_an_index |= Q(path__startswith=path, depth=depth + 1)
        market_ids = list(
            Page.objects.filter(
                under_an_index, content_type__app_label="cms", content_type__model="marketpage"
            ).values_list("pk", flat=True)
        )
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


LOW_STOCK_THRESHOLD = 2


def vendor_dashboard(*, vendor: Vendor) -> dict:
    """What a vendor sees first in its space: its catalogue at a glance and its markets."""
    from django.db.models import Count, Q

    products = vendor.products.all()
    counts = products.aggregate(
        total=Count("pk"),
        on_sale=Count("pk", filter=Q(is_active=True, stock__gt=0)),
        sold_out=Count("pk", filter=Q(is_active=True, stock=0)),
        off_sale=Count("pk", filter=Q(is_active=False)),
    )
    low_stock = list(
        products.filter(is_active=True, condition="new", stock__gt=0,
                        stock__lte=LOW_STOCK_THRESHOLD)
        .order_by("stock", "title")[:10]
    )
    sold_out = list(products.filter(is_active=True, stock=0).order_by("-updated_at")[:10])
    participations = list(
        vendor.participations.select_related("market").order_by("-market__pk")
    )
    return {
        "vendor": vendor,
        "counts": counts,
        "low_stock": low_stock,
        "sold_out": sold_out,
        "participations": participations,
        "orders": vendor_orders_summary(vendor=vendor),
    }


# Order states, by value: the shop app sits above this one (its Order model reaches us
# through `vendor.orders`).
ORDERS_TO_PREPARE = ("paid", "partially_refunded")
ORDERS_SOLD = ("paid", "ready", "fulfilled", "partially_refunded")


def market_season_start(now=None):
    """Christmas markets run from November to January: a season starts on 1 July."""
    from django.utils import timezone

    today = timezone.localtime(now or timezone.now())
    year = today.year if today.month >= 7 else today.year - 1
    return today.replace(year=year, month=7, day=1, hour=0, minute=0, second=0, microsecond=0)


def vendor_orders_summary(*, vendor: Vendor, now=None) -> dict:
    """Orders still to prepare, and the sales of the market season (gross of the units
    kept, shipping included)."""
    from django.db.models import Count, Q, Sum

    season = Q(state__in=ORDERS_SOLD, paid_at__gte=market_season_start(now))
    return vendor.orders.aggregate(
        to_prepare=Count("pk", filter=Q(state__in=ORDERS_TO_PREPARE)),
        season_count=Count("pk", filter=season),
        season_gross_cents=Sum("gross_cents", filter=season, default=0),
    )

"""Reads the API needs and the storefront does not (yet): markets by status, organisers in
bulk, a product's markets. The catalogue itself comes from `shop.selectors`."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from cms.models import (
    MarketIndexPage,
    MarketPage,
    MarketParticipation,
    MarketStatus,
    SolidarityProjectPage,
)
from cms.selectors import live_markets
from shop.models import Product
from vendors.models import Vendor


def markets_in_status(markets: QuerySet[MarketPage], status: str, *, now=None):
    """The same rule as `MarketPage.status_at`, as a database filter."""
    now = now or timezone.now()
    in_window = Q(opens_at__lte=now, closes_at__gt=now)
    conditions = {
        MarketStatus.UPCOMING: Q(opens_at__gt=now),
        MarketStatus.CLOSED: Q(closes_at__lte=now),
        MarketStatus.PAUSED: in_window & Q(is_paused=True),
        MarketStatus.OPEN: in_window & Q(is_paused=False),
    }
    return markets.filter(conditions[status])


def organisers_by_market(markets) -> dict:
    """{market pk: organiser} in one query, from each market's parent index page
    (`MarketPage.organiser` costs two queries per market)."""
    parent_paths = {market.pk: market.path[: -MarketPage.steplen] for market in markets}
    indexes = MarketIndexPage.objects.filter(path__in=set(parent_paths.values()))
    organiser_by_path = {
        index.path: index.organiser for index in indexes.select_related("organiser")
    }
    return {pk: organiser_by_path.get(path) for pk, path in parent_paths.items()}


def live_market(pk: int) -> MarketPage | None:
    return live_markets().filter(pk=pk).first()


def markets_of_vendor(vendor: Vendor) -> QuerySet[MarketPage]:
    """Live markets where the vendor's participation is approved."""
    return live_markets().filter(
        participations__vendor=vendor,
        participations__state=MarketParticipation.State.APPROVED,
    ).order_by("opens_at", "pk")


def products_on_sale_somewhere() -> QuerySet[Product]:
    """Active products of approved vendors with an approved place in a live market."""
    vendors = Vendor.objects.filter(
        status=Vendor.Status.APPROVED,
        participations__state=MarketParticipation.State.APPROVED,
        participations__market__in=live_markets(),
    )
    return Product.objects.filter(is_active=True, vendor__in=vendors)


def approved_vendors() -> QuerySet[Vendor]:
    return Vendor.objects.filter(status=Vendor.Status.APPROVED).order_by("name", "pk")


def live_projects() -> QuerySet[SolidarityProjectPage]:
    return (
        SolidarityProjectPage.objects.live()
        .public()
        .prefetch_related(
            Prefetch("markets", queryset=live_markets().order_by("opens_at", "pk"))
        )
        .order_by("title", "pk")
    )

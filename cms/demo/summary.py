"""What the demo holds, counted from the database, for the command's report and the tests."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.db.models import Count

from cms.models import MarketPage, SolidarityProjectPage
from markets.models import MarketStatus, PickupPoint
from shop.catalogue.selectors import products_on_sale
from shop.models import Product, ProductImage
from vendors.models import Vendor

from .data import MARKETS, OPEN_MARKET
from .vendors import VENDORS


def demo_counts() -> dict[str, int]:
    vendor_slugs = [vendor.slug for vendor in VENDORS]
    products = Product.objects.filter(vendor__slug__in=vendor_slugs)
    markets = list(MarketPage.objects.live().filter(slug__in=[m.slug for m in MARKETS]))
    statuses = [market.status for market in markets]
    open_market = open_demo_market()
    on_sale = products_on_sale(market=open_market) if open_market else Product.objects.none()
    return {
        "markets_open": statuses.count(MarketStatus.OPEN),
        "markets_upcoming": statuses.count(MarketStatus.UPCOMING),
        "markets_closed": statuses.count(MarketStatus.CLOSED),
        "vendors": Vendor.objects.filter(slug__in=vendor_slugs).count(),
        "products": products.count(),
        "unique_items": products.filter(stock=1).exclude(condition=Product.Condition.NEW).count(),
        "sold_out": products.filter(stock=0).count(),
        "products_on_sale": on_sale.count(),
        "vendors_on_sale": on_sale.aggregate(count=Count("vendor", distinct=True))["count"],
        "product_images": ProductImage.objects.filter(product__in=products).count(),
        "projects": SolidarityProjectPage.objects.live().count(),
        "pickup_points": PickupPoint.objects.filter(market__in=markets).count(),
    }


def open_demo_market() -> MarketPage | None:
    return MarketPage.objects.live().filter(slug=OPEN_MARKET).first()


def site_url(page) -> str:
    return f"{settings.SITE_URL}{page.get_url() or page.url_path}"


@contextmanager
def quiet_loggers(*names: str, level: int = logging.WARNING):
    """Hush per-object INFO logs (Wagtail's page log, its background tasks) while generating
    data: the command prints its own summary."""
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, old_level in zip(loggers, previous, strict=True):
            logger.setLevel(old_level)

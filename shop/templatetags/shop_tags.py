"""Template helpers for the storefront: money, percentages, times and product links."""

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from shop.checkout.availability import clock_time
from shop.money import format_bps_percent, format_cents

register = template.Library()


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


@register.filter
def money(amount_cents) -> str:
    """1250 → « 12,50 € » in French, « €12.50 » in English."""
    if amount_cents in (None, ""):
        return ""
    return format_cents(int(amount_cents), _language())


@register.filter
def percent(bps) -> str:
    """Basis points as a percentage: 2000 → « 20 % »."""
    if bps in (None, ""):
        return ""
    return format_bps_percent(int(bps), _language())


@register.filter
def clock(moment) -> str:
    """A time of today as shoppers read it: « 14 h 32 » in French."""
    return clock_time(moment) if moment else ""


@register.filter
def seconds_left(moment) -> int:
    """Whole seconds from now until `moment`, never below 0."""
    return max(int((moment - timezone.now()).total_seconds()), 0) if moment else 0


def _market_url(context, market) -> str:
    """The market's address, worked out once per request rather than once per product card
    (each card is an include, with a render context of its own)."""
    request = context.get("request")
    if request is None:
        return market.get_url(None)
    if not hasattr(request, "_market_urls"):
        request._market_urls = {}
    if market.pk not in request._market_urls:
        request._market_urls[market.pk] = market.get_url(request)
    return request._market_urls[market.pk]


@register.simple_tag(takes_context=True)
def market_product_url(context, market, product) -> str:
    """The canonical address of `product` in `market`."""
    route = market.reverse_subpage("product", kwargs={"slug": product.slug, "pk": product.pk})
    return _market_url(context, market) + route


@register.simple_tag(takes_context=True)
def market_vendor_url(context, market, vendor) -> str:
    """The page of `vendor` within `market`."""
    route = market.reverse_subpage("vendor", kwargs={"vendor_slug": vendor.slug})
    return market.get_url(context.get("request")) + route

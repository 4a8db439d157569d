"""Template helpers for the storefront: money, percentages and product links."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

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


@register.simple_tag(takes_context=True)
def market_product_url(context, market, product) -> str:
    """The canonical address of `product` in `market`."""
    route = market.reverse_subpage("product", kwargs={"slug": product.slug, "pk": product.pk})
    return market.get_url(context.get("request")) + route


@register.simple_tag(takes_context=True)
def market_vendor_url(context, market, vendor) -> str:
    """The page of `vendor` within `market`."""
    route = market.reverse_subpage("vendor", kwargs={"vendor_slug": vendor.slug})
    return market.get_url(context.get("request")) + route

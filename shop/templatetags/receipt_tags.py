"""The address of a vendor order's receipt, for the pages and e-mails that link to it."""

from django import template

from shop.orders.vendor_receipt import receipt_url, was_sold

register = template.Library()


@register.simple_tag
def order_receipt_url(order, absolute=False) -> str:
    """The signed address of the receipt of a vendor order; empty for an order that was
    never sold (refunded at once because its units were gone)."""
    return receipt_url(order, absolute=absolute) if was_sold(order) else ""

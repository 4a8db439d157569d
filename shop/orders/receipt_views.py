"""The receipt of a vendor order, as a printable page and as a file to keep: the shopper
opens it through a signed address, the seller from its back office (see `admin_views`)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from shop.orders.models import Order
from shop.orders.vendor_receipt import (
    order_id_from_receipt_token,
    order_receipt,
    orders_for_receipt,
    receipt_url,
    was_sold,
)

TEMPLATE = "shop/orders/receipt.html"


def render_receipt(request: HttpRequest, order: Order | None, *, download: bool,
                   download_url: str, back_url: str = "") -> HttpResponse:
    """The receipt page, or with `download` the same document as an HTML file: no PDF
    library is needed, and the file opens and prints in any browser, offline."""
    if order is None or not was_sold(order):
        raise Http404
    response = render(request, TEMPLATE, {
        "receipt": order_receipt(order),
        "order": order,
        "vendor": order.vendor,
        "checkout": order.checkout,
        "market": order.checkout.market,
        "organiser": order.checkout.market.organiser,
        "download": download,
        "download_url": download_url,
        "back_url": back_url,
    })
    if download:
        response["Content-Disposition"] = f'attachment; filename="recu-{order.number}.html"'
    # The address is the shopper's secret: keep it out of referrers and shared caches.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _order(token: str) -> Order | None:
    order_id = order_id_from_receipt_token(token)
    if order_id is None:
        return None
    return orders_for_receipt().filter(pk=order_id).first()


def receipt_page(request: HttpRequest, token: str) -> HttpResponse:
    order = _order(token)
    return render_receipt(request, order, download=False,
                          download_url=receipt_url(order, download=True) if order else "")


def receipt_download(request: HttpRequest, token: str) -> HttpResponse:
    return render_receipt(request, _order(token), download=True, download_url="")

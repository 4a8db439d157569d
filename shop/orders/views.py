"""The shopper's order page, reached through the signed link of the confirmation e-mail."""

from django.http import Http404
from django.shortcuts import render

from shop.orders.ledger import checkout_donation_cents, checkout_project_shares
from shop.orders.selectors import checkout_for_order_page, checkout_id_from_token, with_kept_units


def order_page(request, token: str):
    checkout_id = checkout_id_from_token(token)
    checkout = checkout_for_order_page(checkout_id) if checkout_id is not None else None
    if checkout is None:
        raise Http404
    response = render(request, "shop/orders/order_page.html", {
        "checkout": checkout,
        "orders": with_kept_units(list(checkout.orders.all())),
        "project_shares": checkout_project_shares(checkout),
        "donation_cents": checkout_donation_cents(checkout),
    })
    # The address is the shopper's secret: keep it out of referrers and shared caches.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response

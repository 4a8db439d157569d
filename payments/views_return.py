"""The page the shopper comes back to after paying: the confirmation of a paid basket
with what each vendor order holds and cost, a refused payment (with another try), or one
still awaited. Like the payment page, only the browser session that reached the payment
step opens it."""

import stripe
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shop.models import Checkout, Order
from shop.orders.confirmation import checkout_confirmation
from shop.orders.selectors import order_page_url

from .gateways import get_gateway
from .models import Payment, Refund
from .services import payment_retry, payment_succeeded
from .views import basket_url, checkout_by_reference, require_payment_session


def _order_page_url(checkout: Checkout) -> str:
    try:
        return order_page_url(checkout, absolute=False)
    except NoReverseMatch:
        return ""


def _paid_context(checkout: Checkout) -> dict:
    confirmation = checkout_confirmation(checkout)
    refunded_ids = set(
        Refund.objects.filter(order__checkout=checkout, reason=Refund.Reason.UNAVAILABLE)
        .values_list("order_id", flat=True)
    )
    orders = [part.order for part in confirmation.orders]
    kept = [order for order in orders
            if order.pk not in refunded_ids and order.state != Order.State.REFUNDED]
    return {
        "status": "paid" if kept else "refunded", "confirmation": confirmation,
        "order_page_url": _order_page_url(checkout),
        "refunded_orders": [order for order in orders if order.pk in refunded_ids],
        "kept_orders": kept,
    }


@require_http_methods(["GET"])
def payment_return(request: HttpRequest, reference: str) -> HttpResponse:
    checkout = checkout_by_reference(reference)
    require_payment_session(request, checkout)
    context = {"checkout": checkout, "basket_url": basket_url(checkout)}
    payment = checkout.payments.order_by("-pk").first()
    state = ""
    if checkout.state != Checkout.State.PAID and payment is not None:
        state = _settle_on_return(request, payment)
        checkout.refresh_from_db()
    if checkout.state == Checkout.State.PAID:
        context.update(_paid_context(checkout))
        return render(request, "payments/return.html", context)
    if payment is None:
        context.update(status="failed", message="")
    elif payment.refunds.exists():
        context.update(status="refused", message=payment.failure_message)
    elif state == Payment.State.FAILED:
        context.update(status="failed", message=payment.failure_message)
    else:
        context.update(status="pending")
    return render(request, "payments/return.html", context)


def _settle_on_return(request: HttpRequest, payment: Payment) -> str:
    """The shopper is back before the webhook: if the gateway says the payment succeeded,
    complete the checkout now (the same idempotent service as the webhook)."""
    try:
        state = get_gateway(payment.gateway).handle_return(payment=payment, request=request)
    except stripe.StripeError:
        return Payment.State.CREATED
    if state == Payment.State.SUCCEEDED and payment.state != Payment.State.SUCCEEDED:
        payment_succeeded(payment=payment)
    payment.refresh_from_db()
    return state


@require_POST
def retry(request: HttpRequest, reference: str) -> HttpResponse:
    """Another try after a declined card: straight back to the card form when the basket
    can be held again as it was, else to the review of the basket."""
    checkout = checkout_by_reference(reference)
    require_payment_session(request, checkout)
    if checkout.state == Checkout.State.PAID:
        return redirect("payments:return", reference=checkout.reference)
    if payment_retry(checkout=checkout):
        return redirect("payments:pay", reference=checkout.reference)
    messages.warning(request, _("Your basket has changed since your first try: check it "
                                "before paying again."))
    return redirect("shop:checkout_review")

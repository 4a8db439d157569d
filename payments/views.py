"""The payment step: the payment page of a reserved checkout (the page the shopper comes
back to is in `views_return`). Only the browser session that reached the payment step can
open them."""

import logging

import stripe
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shop.checkout.pricing import checkout_amounts
from shop.models import Checkout

from .gateways import get_gateway
from .services import (
    PaymentError,
    payment_failed,
    payment_precheck,
    payment_start,
    payment_succeeded,
)

SESSION_KEY = "payment_checkout_ids"
logger = logging.getLogger(__name__)


def basket_url(checkout: Checkout) -> str:
    """Where the shopper fixes the basket: the basket page once it exists, the market
    otherwise."""
    try:
        return reverse("shop:basket")
    except NoReverseMatch:
        return checkout.market.url or "/"


def _enter_payment_step(request: HttpRequest, checkout: Checkout) -> None:
    """Only the session that filled the basket may pay for it (and see the result)."""
    allowed = request.session.get(SESSION_KEY, [])
    if checkout.pk in allowed:
        return
    session_key = request.session.session_key
    if checkout.cart is None or not session_key or checkout.cart.session_key != session_key:
        raise PermissionDenied
    request.session[SESSION_KEY] = [*allowed[-9:], checkout.pk]


def _after_refusal(checkout: Checkout, refusal: str) -> str:
    """Where a shopper whose payment was refused goes: to the pick-up choice when the slot
    filled up (the basket and the other steps are kept), else to the basket."""
    if getattr(refusal, "slot_unavailable", False):
        return reverse("shop:checkout_fulfilment")
    return basket_url(checkout)


def require_payment_session(request: HttpRequest, checkout: Checkout) -> None:
    if checkout.pk not in request.session.get(SESSION_KEY, []):
        raise PermissionDenied


def checkout_by_reference(reference: str) -> Checkout:
    return get_object_or_404(Checkout.objects.select_related("market", "cart", "chosen_project"),
                             reference=reference)


def _summary(checkout: Checkout) -> dict:
    lines = list(checkout.lines.select_related("vendor"))
    splits, subtotal, donation = checkout_amounts(checkout=checkout, lines=lines, frozen=True)
    vendors = []
    for line in lines:
        if not vendors or vendors[-1]["vendor"].pk != line.vendor_id:
            vendors.append({"vendor": line.vendor, "lines": [],
                            "shipping_cents": splits[line.vendor_id].shipping_cents})
        vendors[-1]["lines"].append(line)
    return {"vendors": vendors, "subtotal_cents": subtotal, "donation_cents": donation}


def _unavailable(request: HttpRequest, checkout: Checkout) -> HttpResponse:
    """The payment provider cannot be reached: nothing was charged, the basket is kept."""
    return render(request, "payments/unavailable.html",
                  {"checkout": checkout, "basket_url": basket_url(checkout)}, status=503)


@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, reference: str) -> HttpResponse:
    checkout = checkout_by_reference(reference)
    _enter_payment_step(request, checkout)
    if checkout.state == Checkout.State.PAID:
        return redirect("payments:return", reference=checkout.reference)
    if checkout.state != Checkout.State.RESERVED:
        messages.info(request, _("This payment is no longer open. Check your basket and "
                                 "try again."))
        return redirect(basket_url(checkout))
    refusal = payment_precheck(checkout=checkout)
    if refusal:
        messages.error(request, refusal)
        return redirect(_after_refusal(checkout, refusal))
    gateway = get_gateway()
    try:
        payment = payment_start(checkout=checkout)
        context = {
            "checkout": checkout, "payment": payment, "basket_url": basket_url(checkout),
            "card_template": gateway.template_name,
            "precheck_url": reverse("payments:precheck", args=[checkout.reference]),
            **gateway.page_context(payment=payment, request=request),
        }
    except PaymentError:
        return redirect("payments:return", reference=checkout.reference)
    except stripe.StripeError:
        logger.exception("payment page of %s: the payment provider failed", reference)
        return _unavailable(request, checkout)
    if request.method == "POST":
        submission = gateway.submit_card(payment=payment, request=request)
        if submission is None:
            return HttpResponseNotAllowed(["GET"])
        if submission.succeeded:
            payment_succeeded(payment=payment)
            return redirect("payments:return", reference=checkout.reference)
        if submission.declined_message:
            payment_failed(payment=payment, message=submission.declined_message)
            return redirect("payments:return", reference=checkout.reference)
        context["form"] = submission.form
    checkout.refresh_from_db()
    context.update(_summary(checkout))
    context["reserved_until"] = checkout.reservations.filter(
        expires_at__gt=timezone.now()).aggregate(first=Min("expires_at"))["first"]
    response = render(request, "payments/pay.html", context)
    # Read by csp.middleware.CSPMiddleware: the gateway's sources (Stripe.js) are allowed
    # on this page only.
    policy = getattr(gateway, "content_security_policy", None)
    if policy:
        response._csp_update = policy
    return response


@require_POST
def precheck(request: HttpRequest, reference: str) -> JsonResponse:
    """Asked by the Stripe payment page right before it confirms the card: the market must
    still take payments and the units must still be held, else nothing is charged."""
    checkout = checkout_by_reference(reference)
    require_payment_session(request, checkout)
    if checkout.state == Checkout.State.PAID:
        return JsonResponse({"ok": False, "message": _("This basket has already been paid."),
                             "redirect": reverse("payments:return", args=[reference])})
    refusal = (payment_precheck(checkout=checkout)
               if checkout.state == Checkout.State.RESERVED
               else _("This payment is no longer open. Check your basket and try again."))
    if refusal:
        messages.error(request, refusal)
        return JsonResponse({"ok": False, "message": refusal,
                             "redirect": _after_refusal(checkout, refusal)})
    return JsonResponse({"ok": True})

"""The payment step: the payment page of a reserved checkout and the page the shopper
comes back to. Only the browser session that reached the payment step can open them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shop.forms_orders import OrderCancelLinesForm
from shop.models import Checkout, Order
from shop.money import format_cents
from shop.services_checkout import checkout_amounts, checkout_release
from shop.services_orders import OrderActionError
from vendors.selectors import vendor_ids_for_member

from .gateways import get_gateway
from .models import Payment, Refund
from .services import (
    PaymentError,
    order_lines_cancel_and_refund,
    payment_failed,
    payment_start,
    payment_succeeded,
)
from .transfers import transfer_adjust_for_refund

SESSION_KEY = "payment_checkout_ids"


def basket_url(checkout: Checkout) -> str:
    """Where the shopper fixes the basket: the basket page once it exists, the market
    otherwise."""
    try:
        return reverse("shop:basket")
    except NoReverseMatch:
        return checkout.market.url or "/"


def _order_page_url(checkout: Checkout) -> str:
    try:
        from shop.selectors_orders import order_page_url

        return order_page_url(checkout, absolute=False)
    except (ImportError, NoReverseMatch):
        return ""


def _enter_payment_step(request: HttpRequest, checkout: Checkout) -> None:
    """Only the session that filled the basket may pay for it (and see the result)."""
    allowed = request.session.get(SESSION_KEY, [])
    if checkout.pk in allowed:
        return
    session_key = request.session.session_key
    if checkout.cart is None or not session_key or checkout.cart.session_key != session_key:
        raise PermissionDenied
    request.session[SESSION_KEY] = [*allowed[-9:], checkout.pk]


def _require_session(request: HttpRequest, checkout: Checkout) -> None:
    if checkout.pk not in request.session.get(SESSION_KEY, []):
        raise PermissionDenied


def _checkout(reference: str) -> Checkout:
    return get_object_or_404(Checkout.objects.select_related("market", "cart"),
                             reference=reference)


def _reserved_until_text(expires_at) -> str:
    return dateformat.format(timezone.localtime(expires_at),
                             pgettext("reservation time", "g:i a"))


def _summary(checkout: Checkout) -> dict:
    lines = list(checkout.lines.select_related("vendor"))
    splits, subtotal, donation = checkout_amounts(checkout=checkout, lines=lines)
    vendors = []
    for line in lines:
        if not vendors or vendors[-1]["vendor"].pk != line.vendor_id:
            vendors.append({"vendor": line.vendor, "lines": [],
                            "shipping_cents": splits[line.vendor_id].shipping_cents})
        vendors[-1]["lines"].append(line)
    return {"vendors": vendors, "subtotal_cents": subtotal, "donation_cents": donation}


@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, reference: str) -> HttpResponse:
    checkout = _checkout(reference)
    _enter_payment_step(request, checkout)
    if checkout.state == Checkout.State.PAID:
        return redirect("payments:return", reference=checkout.reference)
    if checkout.state != Checkout.State.RESERVED:
        messages.info(request, _("This payment is no longer open. Check your basket and "
                                 "try again."))
        return redirect(basket_url(checkout))
    expires_at = checkout.reservations.aggregate(first=Min("expires_at"))["first"]
    if request.method == "GET" and (expires_at is None or expires_at <= timezone.now()):
        checkout_release(checkout=checkout)
        messages.error(request, _("Your reservation has expired and the items were put back "
                                  "on sale. Check your basket and try again."))
        return redirect(basket_url(checkout))

    gateway = get_gateway()
    payment = payment_start(checkout=checkout)
    context = {
        "checkout": checkout, "payment": payment, "basket_url": basket_url(checkout),
        "card_template": gateway.template_name,
        **gateway.page_context(payment=payment, request=request),
    }
    if request.method == "POST":
        # A payment made after the reservation expired is still honoured when the units
        # are there (payments.services refunds the vendors whose units are gone).
        submission = gateway.submit_card(payment=payment, request=request)
        if submission is None:
            return HttpResponseNotAllowed(["GET"])
        if submission.succeeded:
            payment_succeeded(payment=payment)
            return redirect("payments:return", reference=checkout.reference)
        if submission.declined_message:
            payment_failed(payment=payment, message=submission.declined_message)
            return render(request, "payments/declined.html", {
                "checkout": checkout, "message": submission.declined_message,
                "basket_url": basket_url(checkout),
            })
        context["form"] = submission.form
    context.update(_summary(checkout))
    context["reserved_until"] = _reserved_until_text(expires_at) if expires_at else ""
    response = render(request, "payments/pay.html", context)
    # Read by csp.middleware.CSPMiddleware: the gateway's sources (Stripe.js) are allowed
    # on this page only.
    policy = getattr(gateway, "content_security_policy", None)
    if policy:
        response._csp_update = policy
    return response


@require_http_methods(["GET"])
def payment_return(request: HttpRequest, reference: str) -> HttpResponse:
    checkout = _checkout(reference)
    _require_session(request, checkout)
    context = {"checkout": checkout, "basket_url": basket_url(checkout)}
    if checkout.state == Checkout.State.PAID:
        orders = list(checkout.orders.select_related("vendor").order_by("pk"))
        refunded_ids = set(
            Refund.objects.filter(order__checkout=checkout, reason=Refund.Reason.UNAVAILABLE)
            .values_list("order_id", flat=True)
        )
        context.update(
            status="paid", orders=orders, order_page_url=_order_page_url(checkout),
            refunded_orders=[order for order in orders if order.pk in refunded_ids],
            kept_orders=[order for order in orders if order.pk not in refunded_ids
                         and order.state != Order.State.REFUNDED],
        )
        return render(request, "payments/return.html", context)
    payment = checkout.payments.order_by("-pk").first()
    state = get_gateway(payment.gateway).handle_return(payment=payment, request=request) \
        if payment else Payment.State.FAILED
    if state == Payment.State.FAILED:
        context.update(status="failed", message=payment.failure_message if payment else "")
    else:
        context.update(status="pending")
    return render(request, "payments/return.html", context)


def _order_admin_url(order: Order) -> str:
    try:
        return reverse("shop_order_admin:inspect", args=[order.pk])
    except NoReverseMatch:
        return reverse("wagtailadmin_home")


@login_required
@require_POST
def order_cancel_lines(request: HttpRequest, order_pk: int) -> HttpResponse:
    """Back office: a vendor cancels units of one of its orders; the shopper is refunded."""
    order = get_object_or_404(
        Order.objects.select_related("checkout"), pk=order_pk,
        vendor_id__in=vendor_ids_for_member(request.user),
    )
    if not request.user.has_perm("shop.change_order"):
        raise PermissionDenied
    form = OrderCancelLinesForm(request.POST, order=order)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_order_admin_url(order))
    try:
        refunded = order_lines_cancel_and_refund(order=order, quantities=form.quantities)
    except (OrderActionError, PaymentError) as error:
        messages.error(request, str(error))
    else:
        if order.checkout.gateway == "stripe":
            transfer_adjust_for_refund(order=order, amount_cents=refunded)
        messages.success(request, _("Order %(number)s: %(amount)s refunded to the shopper.")
                         % {"number": order.number, "amount": format_cents(refunded,
                                                                            get_language())})
    return redirect(_order_admin_url(order))

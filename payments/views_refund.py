"""Back office: a vendor cancels units of one of its orders and the shopper is refunded,
after a page that says what will happen (the refund, the shares taken back, the e-mail,
the right of withdrawal) and asks to confirm. Plain forms: no script needed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shop.models import Order
from shop.money import format_cents
from shop.orders.forms import OrderCancelLinesForm
from shop.orders.returns import Withdrawal, order_cancellation_preview
from shop.orders.services import OrderActionError
from vendors.selectors import vendor_ids_for_member

from .refunds import order_lines_cancel_and_refund
from .services import PaymentError


def _order_admin_url(order: Order) -> str:
    try:
        return reverse("shop_order_admin:inspect", args=[order.pk])
    except NoReverseMatch:
        return reverse("wagtailadmin_home")


def _vendor_order(request: HttpRequest, order_pk: int) -> Order:
    order = get_object_or_404(
        Order.objects.select_related("checkout", "vendor"), pk=order_pk,
        vendor_id__in=vendor_ids_for_member(request.user),
    )
    if not request.user.has_perm("shop.change_order"):
        raise PermissionDenied
    return order


def _form_errors_to_messages(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _confirmation(request: HttpRequest, order: Order, form) -> HttpResponse:
    try:
        preview = order_cancellation_preview(order=order, quantities=form.quantities)
    except OrderActionError as error:
        messages.error(request, str(error))
        return redirect(_order_admin_url(order))
    cancelled = [
        (line, form.quantities[line.pk]) for line in form.lines if line.pk in form.quantities
    ]
    return render(request, "payments/admin/order_cancel_confirm.html", {
        "order": order,
        "form": form,
        "cancelled": cancelled,
        "preview": preview,
        "Withdrawal": Withdrawal,
        "back_url": _order_admin_url(order),
        "action_url": reverse("payments:order_cancel_lines", args=[order.pk]),
    })


@login_required
@require_http_methods(["GET", "POST"])
def order_cancel_lines(request: HttpRequest, order_pk: int) -> HttpResponse:
    """GET: what cancelling these units will do, and a button to confirm. POST: cancel
    them and refund the shopper."""
    order = _vendor_order(request, order_pk)
    data = request.POST if request.method == "POST" else request.GET
    form = OrderCancelLinesForm(data, order=order)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect(_order_admin_url(order))
    if request.method == "GET":
        return _confirmation(request, order, form)
    try:
        refunded = order_lines_cancel_and_refund(order=order, quantities=form.quantities)
    except (OrderActionError, PaymentError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Order %(number)s: %(amount)s refunded to the shopper.")
                         % {"number": order.number, "amount": format_cents(refunded,
                                                                            get_language())})
    return redirect(_order_admin_url(order))

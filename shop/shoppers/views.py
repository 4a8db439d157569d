"""« Retrouver mes commandes »: ask for a sign-in link, open it, see every order made with
that address, sign out. No account: the session remembers the address it proved."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.client_ip import client_ip_address
from shop.shoppers.access import (
    LinkProblem,
    TooManyRequests,
    access_link_check,
    access_link_request,
    access_link_use,
)
from shop.shoppers.forms import AccessRequestForm
from shop.shoppers.selectors import shopper_orders
from shop.shoppers.session import shopper_sign_in, shopper_sign_out, verified_email

LINK_PROBLEM_STATUS = {LinkProblem.INVALID: 400, LinkProblem.EXPIRED: 410,
                       LinkProblem.USED: 410}


def private(response):
    """Pages about one shopper: kept out of shared caches, search engines and referrers."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def shopper_required(view):
    """The view needs a session signed in through a link; others are asked for one."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        email = verified_email(request)
        if email is None:
            messages.info(request, _("Receive a sign-in link by e-mail first: it opens your "
                                     "orders and your data."))
            return HttpResponseRedirect(reverse("shoppers:orders"))
        return private(view(request, email, *args, **kwargs))

    return wrapper


@require_http_methods(["GET", "POST"])
def my_orders(request):
    email = verified_email(request)
    if request.method == "GET" and email:
        return private(TemplateResponse(request, "shop/shoppers/orders.html", {
            "email": email, "checkouts": shopper_orders(email)}))
    form = AccessRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        try:
            access_link_request(email=form.cleaned_data["email"],
                                client_ip=client_ip_address(request),
                                language=getattr(request, "LANGUAGE_CODE", ""))
        except TooManyRequests:
            form.add_error(None, _("Too many links were asked for from your connection. "
                                   "Please try again in an hour."))
            status = 429
        else:
            return HttpResponseRedirect(reverse("shoppers:link_sent"))
    return private(TemplateResponse(request, "shop/shoppers/request.html", {"form": form},
                                    status=status))


@require_GET
def link_sent(request):
    return private(TemplateResponse(request, "shop/shoppers/link_sent.html", {
        "valid_minutes": settings.SHOPPER_ACCESS_LINK_MAX_AGE // 60}))


def _link_problem(request, problem: LinkProblem):
    return private(TemplateResponse(request, "shop/shoppers/link_problem.html", {
        "problem": problem.value, "form": AccessRequestForm(),
    }, status=LINK_PROBLEM_STATUS[problem]))


@require_http_methods(["GET", "POST"])
def sign_in(request, token: str):
    """GET only shows a button: mail scanners that open links must not spend the link."""
    if request.method == "GET":
        check = access_link_check(token)
        if not check.ok:
            return _link_problem(request, check.problem)
        return private(TemplateResponse(request, "shop/shoppers/sign_in.html", {}))
    check = access_link_use(token=token)
    if not check.ok:
        return _link_problem(request, check.problem)
    shopper_sign_in(request, email=check.link.email)
    return HttpResponseRedirect(reverse("shoppers:orders"))


@require_POST
def sign_out(request):
    shopper_sign_out(request)
    messages.success(request, _("You are signed out: this browser no longer shows your "
                                "orders nor remembers your contact details."))
    return HttpResponseRedirect(reverse("shoppers:orders"))

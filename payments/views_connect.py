"""Back office: vendors and organisers open the connected account that receives their
transfers, on Stripe's hosted onboarding. Stripe sends the person back to the return view
(the account is fetched again) or, when the link has expired, to the refresh view."""

import stripe
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from markets.models import SolidarityProject
from vendors.models import Vendor
from vendors.selectors import vendor_for_user

from .connect import (
    connect_account_create,
    connect_account_refresh,
    connect_onboarding_link,
    connect_status,
)


def _require_stripe() -> None:
    if not settings.STRIPE_SECRET_KEY:
        raise Http404


def _vendor(request: HttpRequest) -> Vendor:
    _require_stripe()
    vendor = vendor_for_user(request.user)
    if vendor is None:
        raise PermissionDenied
    return vendor


def _project(request: HttpRequest, page_id: int) -> SolidarityProject:
    _require_stripe()
    project = get_object_or_404(SolidarityProject, pk=page_id)
    if not project.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return project


def _onboarding_redirect(request: HttpRequest, *, account_id: str, return_name: str,
                         refresh_name: str, args=()) -> HttpResponse:
    link = connect_onboarding_link(
        account_id=account_id,
        return_url=request.build_absolute_uri(reverse(return_name, args=args)),
        refresh_url=request.build_absolute_uri(reverse(refresh_name, args=args)),
    )
    return redirect(link)


def _stripe_failed(request: HttpRequest, error: stripe.StripeError) -> None:
    messages.error(request, _("Stripe could not be reached (%(error)s). Try again in a "
                              "moment.") % {"error": error.user_message or error.code or ""})


def _status_message(request: HttpRequest, *, account_id: str, transfers_active: bool) -> None:
    if connect_status(account_id=account_id, transfers_active=transfers_active) == "active":
        messages.success(request, _("The payout account is ready: transfers are active."))
    else:
        messages.warning(request, _("The payout account is not complete yet: Stripe still "
                                    "needs some information. What is owed is kept and will be "
                                    "transferred once it is complete."))


@require_http_methods(["POST"])
def vendor_onboard(request: HttpRequest) -> HttpResponse:
    """« Ouvrir mon compte de versement »: create the account if needed, then go to Stripe."""
    vendor = _vendor(request)
    try:
        account_id = connect_account_create(vendor=vendor)
        return _onboarding_redirect(request, account_id=account_id,
                                    return_name="payments_connect:vendor_return",
                                    refresh_name="payments_connect:vendor_refresh")
    except stripe.StripeError as error:
        _stripe_failed(request, error)
        return redirect("vendors_my_vendor")


@require_GET
def vendor_refresh(request: HttpRequest) -> HttpResponse:
    """The onboarding link expired or was used: a new one."""
    vendor = _vendor(request)
    if not vendor.stripe_account_id:
        return redirect("vendors_my_vendor")
    try:
        return _onboarding_redirect(request, account_id=vendor.stripe_account_id,
                                    return_name="payments_connect:vendor_return",
                                    refresh_name="payments_connect:vendor_refresh")
    except stripe.StripeError as error:
        _stripe_failed(request, error)
        return redirect("vendors_my_vendor")


@require_GET
def vendor_return(request: HttpRequest) -> HttpResponse:
    vendor = _vendor(request)
    if vendor.stripe_account_id:
        try:
            connect_account_refresh(account_id=vendor.stripe_account_id)
        except stripe.StripeError as error:
            _stripe_failed(request, error)
            return redirect("vendors_my_vendor")
        vendor.refresh_from_db()
        _status_message(request, account_id=vendor.stripe_account_id,
                        transfers_active=vendor.transfers_active)
    return redirect("vendors_my_vendor")


@require_http_methods(["GET", "POST"])
def project_onboard(request: HttpRequest, page_id: int) -> HttpResponse:
    """The payout account of a solidarity project: its status (GET), and the way to
    Stripe's onboarding (POST), for the organisers who may edit the project page."""
    project = _project(request, page_id)
    if request.method == "GET":
        return TemplateResponse(request, "payments/connect/project.html", {
            "project": project,
            "status": connect_status(account_id=project.stripe_account_id,
                                     transfers_active=project.transfers_active),
            "page_title": _("Payout account"),
        })
    try:
        account_id = connect_account_create(project=project)
        return _onboarding_redirect(request, account_id=account_id,
                                    return_name="payments_connect:project_return",
                                    refresh_name="payments_connect:project_refresh",
                                    args=[project.pk])
    except stripe.StripeError as error:
        _stripe_failed(request, error)
        return redirect("payments_connect:project_onboard", project.pk)


@require_GET
def project_refresh(request: HttpRequest, page_id: int) -> HttpResponse:
    project = _project(request, page_id)
    if not project.stripe_account_id:
        return redirect("payments_connect:project_onboard", project.pk)
    try:
        return _onboarding_redirect(request, account_id=project.stripe_account_id,
                                    return_name="payments_connect:project_return",
                                    refresh_name="payments_connect:project_refresh",
                                    args=[project.pk])
    except stripe.StripeError as error:
        _stripe_failed(request, error)
        return redirect("payments_connect:project_onboard", project.pk)


@require_GET
def project_return(request: HttpRequest, page_id: int) -> HttpResponse:
    project = _project(request, page_id)
    if project.stripe_account_id:
        try:
            connect_account_refresh(account_id=project.stripe_account_id)
        except stripe.StripeError as error:
            _stripe_failed(request, error)
            return redirect("payments_connect:project_onboard", project.pk)
        project.refresh_from_db()
        _status_message(request, account_id=project.stripe_account_id,
                        transfers_active=project.transfers_active)
    return redirect("payments_connect:project_onboard", project.pk)

"""Back office: vendors, solidarity projects and organisers open the connected account that
receives their transfers, on Stripe's hosted onboarding. Stripe sends the person back to
the return view (the account is fetched again) or, when the link has expired, to the
refresh view. The three steps are the same for every beneficiary (`Onboarding`); the
organisers' views are in `views_connect_organiser`."""

from dataclasses import dataclass

import stripe
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from markets.models import SolidarityProject
from vendors.selectors import vendor_for_user

from .connect import (
    connect_account_create,
    connect_account_refresh,
    connect_onboarding_link,
    payout_account_status,
)


def require_stripe() -> None:
    """Without Stripe there is no connected account to open (the demo gateway)."""
    if not settings.STRIPE_SECRET_KEY:
        raise Http404


@dataclass(frozen=True)
class Onboarding:
    """One beneficiary on its way through Stripe's onboarding. `kind` is its keyword for
    `connect_account_create` and the prefix of its views' names (`<kind>_return`,
    `<kind>_refresh`), which take `args`; `back_url` is the screen it comes back to."""

    kind: str
    beneficiary: models.Model
    back_url: str
    args: tuple = ()

    def url(self, request: HttpRequest, step: str) -> str:
        return request.build_absolute_uri(
            reverse(f"payments_connect:{self.kind}_{step}", args=self.args))


def _onboarding_redirect(request: HttpRequest, onboarding: Onboarding,
                         account_id: str) -> HttpResponse:
    return redirect(connect_onboarding_link(
        account_id=account_id, return_url=onboarding.url(request, "return"),
        refresh_url=onboarding.url(request, "refresh"),
    ))


def _stripe_failed(request: HttpRequest, error: stripe.StripeError) -> None:
    messages.error(request, _("Stripe could not be reached (%(error)s). Try again in a "
                              "moment.") % {"error": error.user_message or error.code or ""})


def onboarding_start(request: HttpRequest, onboarding: Onboarding) -> HttpResponse:
    """« Ouvrir mon compte de versement »: create the account if needed, then go to Stripe."""
    try:
        account_id = connect_account_create(**{onboarding.kind: onboarding.beneficiary})
        return _onboarding_redirect(request, onboarding, account_id)
    except stripe.StripeError as error:
        _stripe_failed(request, error)
        return redirect(onboarding.back_url)


def onboarding_refresh(request: HttpRequest, onboarding: Onboarding) -> HttpResponse:
    """The onboarding link expired or was used: a new one."""
    account_id = onboarding.beneficiary.stripe_account_id
    if not account_id:
        return redirect(onboarding.back_url)
    try:
        return _onboarding_redirect(request, onboarding, account_id)
    except stripe.StripeError as error:
        _stripe_failed(request, error)
        return redirect(onboarding.back_url)


def onboarding_return(request: HttpRequest, onboarding: Onboarding) -> HttpResponse:
    """Back from Stripe: the account is fetched again and its state told."""
    beneficiary = onboarding.beneficiary
    if not beneficiary.stripe_account_id:
        return redirect(onboarding.back_url)
    try:
        connect_account_refresh(account_id=beneficiary.stripe_account_id)
    except stripe.StripeError as error:
        _stripe_failed(request, error)
        return redirect(onboarding.back_url)
    beneficiary.refresh_from_db()
    if payout_account_status(beneficiary) == "active":
        messages.success(request, _("The payout account is ready: transfers are active."))
    else:
        messages.warning(request, _("The payout account is not complete yet: Stripe still "
                                    "needs some information. What is owed is kept and will be "
                                    "transferred once it is complete."))
    return redirect(onboarding.back_url)


def _vendor(request: HttpRequest) -> Onboarding:
    require_stripe()
    vendor = vendor_for_user(request.user)
    if vendor is None:
        raise PermissionDenied
    return Onboarding("vendor", vendor, back_url=reverse("vendors_my_vendor"))


@require_http_methods(["POST"])
def vendor_onboard(request: HttpRequest) -> HttpResponse:
    return onboarding_start(request, _vendor(request))


@require_GET
def vendor_refresh(request: HttpRequest) -> HttpResponse:
    return onboarding_refresh(request, _vendor(request))


@require_GET
def vendor_return(request: HttpRequest) -> HttpResponse:
    return onboarding_return(request, _vendor(request))


def _project(request: HttpRequest, page_id: int) -> Onboarding:
    require_stripe()
    project = get_object_or_404(SolidarityProject, pk=page_id)
    if not project.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return Onboarding("project", project, args=(project.pk,), back_url=reverse(
        "payments_connect:project_onboard", args=[project.pk]))


@require_http_methods(["GET", "POST"])
def project_onboard(request: HttpRequest, page_id: int) -> HttpResponse:
    """The payout account of a solidarity project: its status (GET), and the way to
    Stripe's onboarding (POST), for the organisers who may edit the project page."""
    onboarding = _project(request, page_id)
    if request.method == "POST":
        return onboarding_start(request, onboarding)
    project = onboarding.beneficiary
    return TemplateResponse(request, "payments/connect/project.html", {
        "project": project,
        "status": payout_account_status(project),
        "page_title": _("Payout account"),
    })


@require_GET
def project_refresh(request: HttpRequest, page_id: int) -> HttpResponse:
    return onboarding_refresh(request, _project(request, page_id))


@require_GET
def project_return(request: HttpRequest, page_id: int) -> HttpResponse:
    return onboarding_return(request, _project(request, page_id))

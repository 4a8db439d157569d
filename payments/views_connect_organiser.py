"""Back office: « Compte de versement », the connected account that receives the commission
of an organiser's markets. A member of the organiser opens it on Stripe's hosted onboarding
(`views_connect.Onboarding`); a platform admin may look at any organiser's.

The organiser is named in the URL, so that a user who belongs to several organisers acts on
the one chosen; another organiser's account answers 404, and a user who is no organiser
(a vendor) gets 403."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.defaults import permission_denied

from markets.selectors import is_organiser, organisers_for_user

from .connect import payout_account_status
from .selectors import organiser_commission
from .views_connect import (
    Onboarding,
    onboarding_refresh,
    onboarding_return,
    onboarding_start,
    require_stripe,
)


def _organisers_only(view):
    """A 404 without Stripe (the demo gateway); a 403 for users who are no organiser, a
    real one rather than the admin's redirect to its home page with a message."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        require_stripe()
        if not is_organiser(request.user):
            return permission_denied(request, PermissionDenied())
        return view(request, *args, **kwargs)

    return wrapped


def _onboarding(request: HttpRequest, organiser_id: int) -> Onboarding:
    organiser = get_object_or_404(organisers_for_user(request.user), pk=organiser_id)
    return Onboarding("organiser", organiser, args=(organiser.pk,), back_url=reverse(
        "payments_connect:organiser_onboard", args=[organiser.pk]))


@require_GET
@_organisers_only
def organiser_accounts(request: HttpRequest) -> HttpResponse:
    """The menu's entry: the organiser's screen, or the list to choose from for a user of
    several organisers (every organiser for a platform admin)."""
    organisers = list(organisers_for_user(request.user).order_by("name", "pk"))
    if len(organisers) == 1:
        return redirect("payments_connect:organiser_onboard", organisers[0].pk)
    for organiser in organisers:
        organiser.payout_status = payout_account_status(organiser)
    return TemplateResponse(request, "payments/connect/organisers.html", {
        "organisers": organisers, "page_title": _("Payout accounts"),
    })


@require_http_methods(["GET", "POST"])
@_organisers_only
def organiser_onboard(request: HttpRequest, organiser_id: int) -> HttpResponse:
    """The organiser's payout account: its status and the commission waiting for it
    (GET), and the way to Stripe's onboarding (POST)."""
    onboarding = _onboarding(request, organiser_id)
    if request.method == "POST":
        return onboarding_start(request, onboarding)
    organiser = onboarding.beneficiary
    return TemplateResponse(request, "payments/connect/organiser.html", {
        "organiser": organiser,
        "status": payout_account_status(organiser),
        "commission": organiser_commission(organiser),
        "page_title": _("Payout account"),
    })


@require_GET
@_organisers_only
def organiser_refresh(request: HttpRequest, organiser_id: int) -> HttpResponse:
    return onboarding_refresh(request, _onboarding(request, organiser_id))


@require_GET
@_organisers_only
def organiser_return(request: HttpRequest, organiser_id: int) -> HttpResponse:
    return onboarding_return(request, _onboarding(request, organiser_id))

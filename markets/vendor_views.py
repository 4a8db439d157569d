"""The vendor's side of a market: answering an organiser's invitation."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vendors.selectors import vendor_for_user

from .models import MarketParticipation
from .services import NotAnInvitation, invitation_answer


@require_http_methods(["GET", "POST"])
def invitation_answer_view(request, pk: int):
    """The invitation e-mail's link (once logged in, « Accepter » is one click), and the
    answers from the vendor's dashboard."""
    vendor = vendor_for_user(request.user)
    if vendor is None:
        raise Http404
    participation = get_object_or_404(
        MarketParticipation.objects.select_related("market"), pk=pk, vendor=vendor)
    if request.method == "GET":
        return TemplateResponse(request, "markets/admin/invitation.html",
                                {"participation": participation, "market": participation.market,
                                 "vendor": vendor})
    accept = request.POST.get("answer") == "accept"
    try:
        invitation_answer(participation=participation, vendor=vendor, accept=accept)
    except NotAnInvitation:
        messages.error(request, _("This invitation has already been answered."))
        return redirect("wagtailadmin_home")
    if accept:
        messages.success(request, _("You now sell at %(market)s: your products are on sale "
                                    "there.") % {"market": participation.market.title})
    else:
        messages.success(request, _("You have declined the invitation to %(market)s.")
                         % {"market": participation.market.title})
    return redirect("wagtailadmin_home")

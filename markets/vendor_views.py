"""The vendor's side of a market: answering an organiser's invitation."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vendors.selectors import vendor_for_user

from .models import MarketParticipation
from .services import NotAnInvitation, invitation_answer


@require_POST
def invitation_answer_view(request, pk: int):
    """« Accepter » or « Décliner » on the vendor's dashboard."""
    vendor = vendor_for_user(request.user)
    if vendor is None:
        raise Http404
    participation = get_object_or_404(MarketParticipation, pk=pk, vendor=vendor)
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

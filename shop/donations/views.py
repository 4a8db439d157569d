"""The donor's pages, without an account: offer an object to a vendor, then follow it
through the signed link e-mailed to them."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from config.client_ip import client_ip_address
from shop.donations.forms import DonationOfferForm
from shop.donations.links import donation_for_token
from shop.donations.selectors import donation_projects, donation_status, vendor_takes_donations
from shop.donations.services import Offer, TooManyOffers, donation_offer
from vendors.models import Vendor


def private(response):
    """Pages about one donor: kept out of shared caches, search engines and referrers."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _offer(form: DonationOfferForm) -> Offer:
    data = form.cleaned_data
    return Offer(donor_name=data["donor_name"], donor_email=data["donor_email"],
                 description=data["description"], condition_guess=data["condition_guess"],
                 project_id=data["project"].pk)


@require_http_methods(["GET", "POST"])
def offer_view(request, vendor_slug: str):
    """« Confier un objet »: photos, description, condition, the project, the donor."""
    vendor = get_object_or_404(Vendor, slug=vendor_slug)
    if not vendor_takes_donations(vendor):
        raise Http404
    projects = donation_projects(vendor)
    posted = request.method == "POST"
    form = DonationOfferForm(request.POST if posted else None,
                             request.FILES if posted else None, projects=projects)
    status = 200
    if posted and form.is_robot:
        return HttpResponseRedirect(reverse("donations:offered"))
    if posted and form.is_valid():
        try:
            donation_offer(vendor=vendor, offer=_offer(form), photos=form.cleaned_data["photos"],
                           client_ip=client_ip_address(request),
                           language=getattr(request, "LANGUAGE_CODE", ""))
        except TooManyOffers:
            form.add_error(None, _("Too many objects were offered from your connection or "
                                   "your address. Please try again in an hour."))
            status = 429
        except ValidationError as error:
            form.add_error("project", error)
            status = 400
        else:
            return HttpResponseRedirect(reverse("donations:offered"))
    elif posted:
        status = 400
    return private(TemplateResponse(request, "shop/donations/offer.html",
                                    {"vendor": vendor, "form": form}, status=status))


@require_GET
def offered_view(request):
    return private(TemplateResponse(request, "shop/donations/offered.html", {}))


@require_GET
def follow_view(request, token: str):
    """What became of the object: offered, declined, on sale, or sold and how much went to
    its project."""
    donation = donation_for_token(token)
    if donation is None:
        return private(TemplateResponse(request, "shop/donations/link_problem.html", {},
                                        status=404))
    return private(TemplateResponse(request, "shop/donations/follow.html", {
        "donation": donation, "status": donation_status(donation)}))

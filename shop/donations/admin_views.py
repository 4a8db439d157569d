"""« Objets confiés » in « Ma boutique »: the offers made to the user's own vendor, each
answering 404 to any other vendor's members, with their photos (from the private storage)
and the vendor's decision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shop.donations.forms import DonationAcceptForm, DonationDeclineForm
from shop.donations.photos import private_storage
from shop.donations.selectors import donation_status, donations_of_vendor, sold_lines
from shop.donations.services import Acceptance, DonationError, donation_accept, donation_decline
from vendors.selectors import vendor_for_user

# The newest offers; a vendor decides on them as they come, so the list stays short.
MAX_LISTED = 200


def _scoped(request):
    """The user's vendor's offers; 403 for whoever is no vendor's member."""
    vendor = vendor_for_user(request.user)
    if vendor is None or not request.user.has_perm("shop.add_product"):
        raise PermissionDenied
    return donations_of_vendor(vendor)


@require_GET
def donation_index_view(request):
    donations = list(_scoped(request)[:MAX_LISTED])
    sold = sold_lines([donation.product_id for donation in donations])
    return TemplateResponse(request, "shop/admin/donations/index.html", {
        "rows": [(donation, donation_status(donation, sold)) for donation in donations]})


def _acceptance(form: DonationAcceptForm) -> Acceptance:
    data = form.cleaned_data
    return Acceptance(title=data["title"], price_cents=form.cents(data["price"]),
                      condition=data["condition"], category=data["category"],
                      costs_cents=form.cents(data["costs"]))


@require_http_methods(["GET", "POST"])
def donation_detail_view(request, pk: int):
    """The offer, and the accept and decline forms while it waits for a decision."""
    donation = get_object_or_404(_scoped(request).prefetch_related("photos"), pk=pk)
    accept_form = DonationAcceptForm(
        request.POST if request.method == "POST" else None,
        initial={"condition": donation.condition_guess, "costs": 0})
    status = 200
    if request.method == "POST":
        if accept_form.is_valid():
            try:
                product = donation_accept(donation=donation, acceptance=_acceptance(accept_form))
            except DonationError as error:
                accept_form.add_error(None, str(error))
            else:
                messages.success(request, _("« %(title)s » is in your catalogue, on sale.")
                                 % {"title": product.title})
                return redirect("shop_donation", pk=donation.pk)
        status = 400
    return TemplateResponse(request, "shop/admin/donations/detail.html", {
        "donation": donation, "status": donation_status(donation),
        "accept_form": accept_form, "decline_form": DonationDeclineForm(),
    }, status=status)


@require_POST
def donation_decline_view(request, pk: int):
    donation = get_object_or_404(_scoped(request), pk=pk)
    form = DonationDeclineForm(request.POST)
    if form.is_valid():
        try:
            donation_decline(donation=donation, message=form.cleaned_data["message"])
        except DonationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The donor is told by e-mail."))
    else:
        messages.error(request, _("Write a word to the donor: it is sent to them."))
    return redirect("shop_donation", pk=donation.pk)


@require_GET
def donation_photo_view(request, pk: int, photo_pk: int):
    """A photo of an offer, from the private storage, to the vendor's members only."""
    donation = get_object_or_404(_scoped(request), pk=pk)
    photo = donation.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    storage = private_storage()
    if not storage.exists(photo.name):
        raise Http404
    response = FileResponse(storage.open(photo.name), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response



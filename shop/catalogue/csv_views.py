"""Catalogue import (checked first, then confirmed) and export in the vendor's space."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shop.catalogue.csv import (
    catalogue_export_csv,
    catalogue_export_xlsx,
    catalogue_import,
    catalogue_import_preview,
)
from shop.catalogue.csv.forms import CatalogueImportConfirmForm, CatalogueImportForm
from shop.catalogue.csv.uploads import upload_discard, upload_keep, upload_load
from vendors.selectors import vendor_for_user

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _vendor_or_403(request):
    vendor = vendor_for_user(request.user)
    if vendor is None or not request.user.has_perm("shop.add_product"):
        raise PermissionDenied
    return vendor


def _imported_message(report) -> str:
    return " ".join((
        ngettext("%(count)d product added,", "%(count)d products added,", report.created)
        % {"count": report.created},
        ngettext("%(count)d product updated.", "%(count)d products updated.", report.updated)
        % {"count": report.updated},
    ))


def _import_confirm(request, vendor):
    """Imports the file checked earlier: a redirect when done, else the report to show."""
    confirm = CatalogueImportConfirmForm(request.POST)
    token = confirm.cleaned_data["token"] if confirm.is_valid() else ""
    kept = token and upload_load(vendor=vendor, token=token)
    if not kept:
        messages.error(request, _("The checked file is no longer available (it is kept one "
                                  "hour): send it again."))
        return redirect("shop_catalogue_import")
    report = catalogue_import(vendor=vendor, data=kept[0], photos=kept[1])
    if report.is_valid:
        upload_discard(vendor=vendor, token=token)
        messages.success(request, _imported_message(report))
        return redirect("wagtailsnippets_shop_product:list")
    messages.error(request, _("Nothing was imported: correct the lines below."))
    return report


def _import_upload(request, vendor, form):
    """Checks (keeping the file for its confirmation) or imports an uploaded file: a
    redirect when imported, else the report and the token of the kept file."""
    data, photos = form.cleaned_data["file"], form.cleaned_data["photos"]
    if form.cleaned_data["dry_run"]:
        report = catalogue_import_preview(vendor=vendor, data=data, photos=photos)
        changes = report.is_valid and (report.to_create or report.to_update)
        return report, upload_keep(vendor=vendor, data=data, photos=photos) if changes else None
    report = catalogue_import(vendor=vendor, data=data, photos=photos)
    if report.is_valid:
        messages.success(request, _imported_message(report))
        return redirect("wagtailsnippets_shop_product:list"), None
    messages.error(request, _("Nothing was imported: correct the lines below."))
    return report, None


def catalogue_import_view(request):
    vendor = _vendor_or_403(request)
    form = CatalogueImportForm()
    report, token = None, None
    if request.method == "POST" and "token" in request.POST:
        report = _import_confirm(request, vendor)
    elif request.method == "POST":
        form = CatalogueImportForm(request.POST, request.FILES)
        if form.is_valid():
            report, token = _import_upload(request, vendor, form)
    if isinstance(report, HttpResponse):
        return report
    return TemplateResponse(
        request,
        "shop/admin/catalogue_import.html",
        {
            "form": form,
            "report": report,
            "dry_run": form.is_bound and form.is_valid() and form.cleaned_data["dry_run"],
            "confirm_form": CatalogueImportConfirmForm(initial={"token": token}) if token else None,
            "vendor": vendor,
            "export_url": reverse("shop_catalogue_export"),
            "products_url": reverse("wagtailsnippets_shop_product:list"),
        },
    )


def catalogue_export_view(request):
    vendor = _vendor_or_403(request)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(catalogue_export_xlsx(vendor=vendor), content_type=XLSX_TYPE)
        extension = "xlsx"
    else:
        response = HttpResponse(
            catalogue_export_csv(vendor=vendor), content_type="text/csv; charset=utf-8"
        )
        extension = "csv"
    response["Content-Disposition"] = (
        f'attachment; filename="catalogue-{vendor.slug}.{extension}"'
    )
    return response

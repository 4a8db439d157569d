"""Catalogue CSV import (with a dry run) and export in the vendor's space."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shop.catalogue.csv import catalogue_export_csv, catalogue_import, catalogue_import_preview
from shop.catalogue.csv.forms import CatalogueImportForm
from vendors.selectors import vendor_for_user


def _vendor_or_403(request):
    vendor = vendor_for_user(request.user)
    if vendor is None or not request.user.has_perm("shop.add_product"):
        raise PermissionDenied
    return vendor


def catalogue_import_view(request):
    vendor = _vendor_or_403(request)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"]
        if form.cleaned_data["dry_run"]:
            report = catalogue_import_preview(vendor=vendor, data=data)
        else:
            report = catalogue_import(vendor=vendor, data=data)
            if report.is_valid:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d product imported.", "%(count)d products imported.",
                        report.created,
                    ) % {"count": report.created},
                )
                return redirect("wagtailsnippets_shop_product:list")
            messages.error(request, _("Nothing was imported: correct the lines below."))
    return TemplateResponse(
        request,
        "shop/admin/catalogue_import.html",
        {
            "form": form,
            "report": report,
            "dry_run": bool(form.is_bound and form.is_valid() and form.cleaned_data["dry_run"]),
            "vendor": vendor,
            "export_url": reverse("shop_catalogue_export"),
            "products_url": reverse("wagtailsnippets_shop_product:list"),
        },
    )


def catalogue_export_view(request):
    vendor = _vendor_or_403(request)
    response = HttpResponse(
        catalogue_export_csv(vendor=vendor), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="catalogue-{vendor.slug}.csv"'
    return response

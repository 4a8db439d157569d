"""Back-office screens of the exports and statements: request an export and follow it,
download it, print a vendor's or a project's statement. Every object is looked up within
what the user may reach (`reports.exports.selectors`): another id answers 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from markets.models import MarketParticipation
from markets.selectors import is_organiser

from .exports.forms import ExportRequestForm
from .exports.selectors import (
    exports_visible_to,
    may_see_market,
    may_see_vendor_statement,
    organiser_markets,
    vendor_participations,
)
from .exports.services import export_file_name, export_request
from .exports.storage import private_storage
from .models import ReportExport
from .statements import project_statement, statement_choices, vendor_statement

LISTED_EXPORTS = 30
# While an export is being built, the list reloads itself every few seconds.
REFRESH_SECONDS = 3


def _audience(request):
    """(markets the user may choose: [(id, label)], the vendor participation by market id
    for a vendor, None for an organiser). Organisers export whole markets."""
    if is_organiser(request.user):
        return [(market.pk, market.title) for market in organiser_markets(request.user)], None
    participations = {p.market_id: p for p in vendor_participations(request.user)}
    if not participations:
        raise PermissionDenied
    choices = [(pk, p.market.title) for pk, p in participations.items()]
    return choices, participations


def exports_view(request):
    choices, participations = _audience(request)
    form = ExportRequestForm(request.POST or None, markets=choices,
                             vendor_only=participations is not None)
    if request.method == "POST" and form.is_valid():
        market_id = form.cleaned_data["market"]
        participation = participations and participations[market_id]
        market = (participation.market if participation
                  else organiser_markets(request.user).get(pk=market_id))
        export_request(user=request.user, market=market, kind=form.cleaned_data["kind"],
                       format=form.cleaned_data["format"],
                       vendor=participation.vendor if participation else None)
        messages.success(request, _("Your export is queued: it will be ready in a moment."))
        return redirect("reports_exports:index")
    exports = list(exports_visible_to(request.user)[:LISTED_EXPORTS])
    return render(request, "reports/exports/index.html", {
        "form": form,
        "exports": exports,
        "refresh_seconds": REFRESH_SECONDS if any(e.is_pending for e in exports) else None,
        "statement_links": _statement_links(request.user, choices, participations),
    })


def _statement_links(user, choices, participations) -> list[tuple[str, str]]:
    if participations is not None:
        return [(p.market.title, reverse("reports_exports:vendor_statement", args=[p.pk]))
                for p in participations.values()]
    return [(label, reverse("reports_exports:statements", args=[pk])) for pk, label in choices]


def export_download_view(request, pk: int):
    export = get_object_or_404(exports_visible_to(request.user),
                               pk=pk, state=ReportExport.State.DONE)
    storage = private_storage()
    if not export.file_name or not storage.exists(export.file_name):
        raise Http404
    return FileResponse(storage.open(export.file_name, "rb"), as_attachment=True,
                        filename=export_file_name(export))


def statements_view(request, market_id: int):
    """The vendors and projects of a market, each with its printable statement."""
    if not may_see_market(request.user, market_id):
        raise Http404
    market = get_object_or_404(organiser_markets(request.user), pk=market_id)
    return render(request, "reports/statements/index.html",
                  {"market": market, **statement_choices(market)})


def vendor_statement_view(request, participation_id: int):
    participation = get_object_or_404(
        MarketParticipation.objects.select_related("market", "vendor"), pk=participation_id)
    if not may_see_vendor_statement(request.user, participation):
        raise Http404
    return render(request, "reports/statements/vendor.html",
                  {"statement": vendor_statement(participation=participation)})


def project_statement_view(request, market_id: int, project_id: int):
    if not may_see_market(request.user, market_id):
        raise Http404
    market = get_object_or_404(organiser_markets(request.user), pk=market_id)
    project = get_object_or_404(statement_choices(market)["projects"], pk=project_id)
    return render(request, "reports/statements/project.html",
                  {"statement": project_statement(market=market, project=project)})

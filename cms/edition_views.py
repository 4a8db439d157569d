"""« Préparer la prochaine édition »: last year's market, a year later, as a draft."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin.widgets import AdminDateTimeInput

from markets.editions import (
    edition_initial,
    market_next_edition_create,
    places_to_offer_again,
    slug_available,
)
from markets.models import Market

from .models import MarketPage

FIELDS = ["title", "slug", "opens_at", "closes_at", "commission_bps", "shipping_allowed"]


class NextEditionForm(forms.Form):
    """What changes from one edition to the next, proposed a year later."""

    def __init__(self, *args, market: Market, **kwargs):
        super().__init__(*args, **kwargs)
        self.market = market
        for name in FIELDS:
            field = MarketPage._meta.get_field(name)
            widget = AdminDateTimeInput() if name in {"opens_at", "closes_at"} else None
            self.fields[name] = field.formfield(**({"widget": widget} if widget else {}))

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if not slug_available(parent=self.market.get_parent(), slug=slug):
            raise forms.ValidationError(
                _("Another page of your space already has this address."))
        return slug

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The market must close after it opens."))
        return cleaned


def market_for_next_edition(request, pk: int) -> MarketPage:
    """The market whose next edition the user may prepare: one of its own space (where it
    may add pages); any other answers 404."""
    market = get_object_or_404(MarketPage, pk=pk)
    if not market.get_parent().permissions_for_user(request.user).can_add_subpage():
        raise Http404
    return market


def market_next_edition_view(request, pk: int):
    market = market_for_next_edition(request, pk)
    form = NextEditionForm(request.POST or None, market=market,
                           initial=edition_initial(market=market))
    if request.method == "POST" and form.is_valid():
        edition = MarketPage(banner_id=market.banner_id, owner=request.user,
                             **form.cleaned_data)
        market_next_edition_create(market=market, edition=edition, user=request.user)
        messages.success(request, _(
            "« %(title)s » is ready as a draft, with the vendors of « %(previous)s » invited. "
            "Check it, then publish it: the invitations are e-mailed on publication."
        ) % {"title": edition.title, "previous": market.title})
        return redirect("wagtailadmin_pages:edit", edition.pk)
    return TemplateResponse(request, "cms/admin/next_edition.html", {
        "market": market, "form": form,
        "invited_count": places_to_offer_again(market=market).count(),
    })

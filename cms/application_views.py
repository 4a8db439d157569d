"""« Candidater comme exposant »: the public application form of a market."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse

from markets.models import MarketStatus
from markets.services import vendor_apply
from vendors.forms import VendorApplicationForm


def market_apply(request, market):
    accepting = market.status != MarketStatus.CLOSED
    form = VendorApplicationForm(request.POST or None) if accepting else None
    if accepting and request.method == "POST" and form.is_valid():
        vendor_apply(
            market=market,
            vendor_data=form.vendor_data(),
            contact_name=form.cleaned_data["contact_name"],
            ess_criteria=form.cleaned_data["ess_commitment"],
        )
        return redirect(market.url + market.reverse_subpage("application_sent"))
    return TemplateResponse(
        request, "cms/market_apply.html",
        {"page": market, "form": form, "accepting": accepting},
    )


def market_application_sent(request, market):
    return TemplateResponse(request, "cms/market_apply_sent.html", {"page": market})

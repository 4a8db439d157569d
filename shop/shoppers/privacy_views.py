"""« Mes données »: what is held about the signed-in address, as a file, and its
erasure after a confirmation step (the rules are in `shop.shoppers.privacy`)."""

import json

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from shop.checkout.remembered import contact_forget
from shop.shoppers.forms import ErasureForm
from shop.shoppers.privacy import erasure_plan, privacy_erase, privacy_export
from shop.shoppers.selectors import checkouts_of, shopper_data
from shop.shoppers.session import shopper_sign_out
from shop.shoppers.views import shopper_required


@require_GET
@shopper_required
def my_data(request, email: str):
    return TemplateResponse(request, "shop/shoppers/data.html", {
        "email": email, "checkout_count": checkouts_of(email).count(),
    })


@require_GET
@shopper_required
def my_data_download(request, email: str):
    now = timezone.now()
    data = privacy_export(email=email, checkouts=shopper_data(email), now=now)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    name = f"mes-donnees-{timezone.localdate(now).isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@shopper_required
def my_data_erase(request, email: str):
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        result = privacy_erase(email=email)
        contact_forget(request.session)
        if not result.kept:
            shopper_sign_out(request)
        return TemplateResponse(request, "shop/shoppers/erased.html", {"result": result})
    return TemplateResponse(request, "shop/shoppers/erase.html", {
        "email": email, "plan": erasure_plan(email=email), "form": form,
    })

"""« Ma structure » › « Accès API »: the owner of a vendor makes and revokes the tokens its
own tools use to write to its catalogue. Staff members do not: a token writes to the whole
catalogue, so handing one out is the owner's decision."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from .selectors import api_tokens_of, vendor_owned_by
from .services import api_token_create, api_token_revoke


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the token"), max_length=100,
        help_text=gettext_lazy("What it is for, for instance « Logiciel de caisse »."),
    )


def _owned_vendor(request):
    vendor = vendor_owned_by(request.user)
    if vendor is None:
        raise PermissionDenied
    return vendor


@never_cache
def api_tokens_view(request):
    """The vendor's tokens and the form to make one; the new secret is shown once, in the
    answer to the form, never stored nor shown again."""
    vendor = _owned_vendor(request)
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        token, secret = api_token_create(
            vendor=vendor, name=form.cleaned_data["name"], created_by=request.user
        )
        messages.success(request, _("The token « %(name)s » is made.") % {"name": token.name})
        form = ApiTokenForm()
    return render(request, "vendors/admin/api_tokens.html", {
        "vendor": vendor, "form": form, "secret": secret, "tokens": api_tokens_of(vendor),
        "api_url": request.build_absolute_uri("/api/v1/"),
    })


def api_token_revoke_view(request, pk: int):
    """Revoking cannot be undone: a page asks first, the POST revokes."""
    vendor = _owned_vendor(request)
    token = get_object_or_404(api_tokens_of(vendor), pk=pk)
    if request.method == "POST":
        if token.is_active:
            api_token_revoke(token=token)
            messages.success(
                request, _("The token « %(name)s » is revoked: the API now refuses it.")
                % {"name": token.name},
            )
        return redirect("vendors_api_tokens")
    return render(request, "vendors/admin/api_token_revoke.html", {"token": token})

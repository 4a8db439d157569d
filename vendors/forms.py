"""The public application form of a structure that wants to sell in a market."""

import nh3
from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .models import Vendor
from .validators import normalise_siret


class VendorApplicationForm(forms.ModelForm):
    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    description_text = forms.CharField(
        label=_("Presentation of your structure"), widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("Shown to shoppers on your vendor page: what you do, who you are."),
    )
    accept_terms = forms.BooleanField(
        label=_("I certify that these details are accurate and accept the market's charter."),
    )

    class Meta:
        model = Vendor
        fields = [
            "name", "legal_form", "siret", "rna", "is_professional", "email", "phone",
            "website", "address", "postcode", "city", "ess_commitment",
        ]
        labels = {
            "name": _("Name of your structure"),
            "email": _("Contact e-mail"),
            "ess_commitment": _("Your social and solidarity commitment"),
        }
        help_texts = {
            "is_professional": _(
                "Tick if your structure sells as a professional (company, cooperative, SIAE, "
                "association with a commercial activity). Shoppers then have a 14-day "
                "withdrawal right."
            ),
            "ess_commitment": _(
                "ESS statute or ESUS approval, social utility, reuse or integration activity, "
                "governance."
            ),
        }
        widgets = {"ess_commitment": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ess_commitment"].required = True
        for name in ("address", "postcode", "city"):
            self.fields[name].required = True
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"

    def clean_siret(self):
        siret = normalise_siret(self.cleaned_data.get("siret", ""))
        if siret and Vendor.objects.filter(siret=siret).exists():
            raise forms.ValidationError(
                _("A structure with this SIRET number is already registered. Log in to your "
                  "vendor space, or write to the organisers.")
            )
        return siret

    def clean_rna(self):
        rna = (self.cleaned_data.get("rna") or "").strip().upper()
        if rna and Vendor.objects.filter(rna=rna).exists():
            raise forms.ValidationError(
                _("An association with this RNA number is already registered. Log in to your "
                  "vendor space, or write to the organisers.")
            )
        return rna

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("legal_form") == Vendor.LegalForm.ASSOCIATION
            and not cleaned.get("rna") and not cleaned.get("siret")
        ):
            self.add_error("rna", _("Give the RNA number of your association (or its SIRET)."))
        return cleaned

    def vendor_data(self) -> dict:
        data = {field: self.cleaned_data[field] for field in self.Meta.fields}
        data.pop("ess_commitment")
        paragraphs = [
            f"<p>{escape(part.strip())}</p>"
            for part in self.cleaned_data["description_text"].split("\n\n")
            if part.strip()
        ]
        data["description"] = nh3.clean("".join(paragraphs), tags={"p"})
        return data

"""Back-office forms for the catalogue: prices in euros and shares in percent, as vendors
think of them, stored as cents and basis points."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from config.forms import HundredthsFieldsMixin
from shop.catalogue.models import Product


class ProductAdminForm(HundredthsFieldsMixin, WagtailAdminModelForm):
    hundredths_fields = {"price": "price_cents", "solidarity_percent": "solidarity_bps"}

    price = forms.DecimalField(
        label=_("Price (€)"), min_value=Decimal("0.01"), max_value=Decimal("100000"),
        decimal_places=2, localize=True,
        help_text=_("For example 12,50."),
    )
    solidarity_percent = forms.DecimalField(
        label=_("Solidarity share (%)"), min_value=Decimal("0"), max_value=Decimal("100"),
        decimal_places=2, localize=True, required=False,
        help_text=_("Part of the price given to a solidarity project, from 0 to 100 %."),
    )

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        vendor_products = Product.objects.filter(vendor_id=self.instance.vendor_id)
        if reference and vendor_products.filter(reference=reference).exclude(
            pk=self.instance.pk
        ).exists():
            raise forms.ValidationError(
                _("Another of your products already has this reference."), code="unique"
            )
        return reference

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "solidarity_project" in self.fields:
            self.fields["solidarity_project"].queryset = (
                self.fields["solidarity_project"].queryset.live().order_by("title")
            )
        if "category" in self.fields:
            self.fields["category"].queryset = self.fields["category"].queryset.select_related(
                "parent"
            )

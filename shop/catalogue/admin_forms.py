"""Back-office forms for the catalogue: prices in euros and shares in percent, as vendors
think of them, stored as cents and basis points."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from config.forms import HundredthsFieldsMixin
from shop.catalogue.models import Product
from shop.money import bps_for_display, format_cents


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
        self.donated_costs_cents = self._donated_costs()
        if self.donated_costs_cents is not None:
            self._lock_the_donors_project()

    def _donated_costs(self) -> int | None:
        """A donated object's declared costs: what its price keeps for the vendor."""
        product = self.instance
        if product.pk is None or product.solidarity_unit_cents is None:
            return None
        return product.price_cents - product.solidarity_unit_cents

    def _lock_the_donors_project(self) -> None:
        """The donor chose the project, and the amount follows from the price."""
        help_text = _("A donated object: its project, chosen by the donor, gets its price "
                      "less your declared costs (%(costs)s).") % {
            "costs": format_cents(self.donated_costs_cents)}
        for name in ("solidarity_percent", "solidarity_project"):
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = help_text

    def clean(self):
        cleaned = super().clean()
        if self.donated_costs_cents is not None and cleaned.get("price") is not None:
            self._follow_the_price()
        return cleaned

    def _follow_the_price(self) -> None:
        """A new price of a donated object moves the project's amount, the costs stay."""
        product, costs = self.instance, self.donated_costs_cents
        if product.price_cents <= costs:
            self.add_error("price", _("The price of a donated object must stay above your "
                                      "declared costs (%(costs)s).")
                           % {"costs": format_cents(costs)})
            return
        product.solidarity_unit_cents = product.price_cents - costs
        product.solidarity_bps = bps_for_display(product.solidarity_unit_cents,
                                                 product.price_cents)

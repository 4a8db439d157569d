"""Forms of the vendor's order actions: hand-over (with a carrier and tracking number) and cancelled
units. The cancellation form is posted to the payments app, which refunds through the
gateway before `shop.orders.services.order_lines_cancel` books it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.checkout.models import CheckoutFulfilment
from shop.orders.models import Order
from shop.orders.tracking import Carrier


class OrderFulfilForm(forms.Form):
    carrier = forms.ChoiceField(
        label=_("Carrier"), required=False, choices=[("", "—"), *Carrier.choices],
        help_text=_("The shopper gets a link to follow the parcel on the carrier's site."),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=100, required=False,
        help_text=_("Required for a shipped order."),
    )

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        if order.fulfilment_method == CheckoutFulfilment.Method.SHIPPING:
            self.fields["tracking_number"].required = True
        else:
            del self.fields["tracking_number"]
            del self.fields["carrier"]

    def cleaned_tracking_number(self) -> str:
        return (self.cleaned_data.get("tracking_number") or "").strip()

    def cleaned_carrier(self) -> str:
        return self.cleaned_data.get("carrier") or ""


class OrderCancelLinesForm(forms.Form):
    """One « units to cancel » field per line still holding units (`line_<id>`)."""

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.lines = [
            line for line in order.lines.all() if line.quantity > line.cancelled_quantity
        ]
        for line in self.lines:
            remaining = line.quantity - line.cancelled_quantity
            self.fields[self.field_name(line)] = forms.IntegerField(
                label=line.title, min_value=0, max_value=remaining, initial=0, required=False,
                help_text=_("%(remaining)d unit(s) left") % {"remaining": remaining},
            )

    @staticmethod
    def field_name(line) -> str:
        return f"line_{line.pk}"

    def line_fields(self):
        """(line, bound field) pairs, for templates that lay the lines out as a table."""
        return [(line, self[self.field_name(line)]) for line in self.lines]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.quantities:
            raise forms.ValidationError(_("Choose at least one unit to cancel."))
        return cleaned

    @property
    def quantities(self) -> dict[int, int]:
        """{line id: units to cancel}, for `order_refund_preview` / `order_lines_cancel`."""
        return {
            line.pk: self.cleaned_data.get(self.field_name(line)) or 0
            for line in self.lines
            if self.cleaned_data.get(self.field_name(line))
        }

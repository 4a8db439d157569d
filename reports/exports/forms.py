"""The request of an export: a market (or, for a vendor, one of its participations), a
kind and a format, chosen among what the user may export."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ReportExport
from .services import VENDOR_KINDS


class ExportRequestForm(forms.Form):
    market = forms.TypedChoiceField(label=_("Market"), coerce=int)
    kind = forms.ChoiceField(label=_("What to export"), choices=ReportExport.Kind.choices,
                             widget=forms.RadioSelect)
    format = forms.ChoiceField(label=_("Format"), choices=ReportExport.Format.choices,
                               initial=ReportExport.Format.CSV, widget=forms.RadioSelect)

    def __init__(self, *args, markets, vendor_only: bool, **kwargs):
        """`markets`: (id, label) the user may export; a vendor exports its own orders and
        statement only."""
        super().__init__(*args, **kwargs)
        self.fields["market"].choices = list(markets)
        if vendor_only:
            self.fields["kind"].choices = [
                (value, label) for value, label in ReportExport.Kind.choices
                if value in VENDOR_KINDS
            ]
        self.fields["kind"].initial = ReportExport.Kind.VENDOR_STATEMENT

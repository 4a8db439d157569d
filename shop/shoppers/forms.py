"""Forms of the shopper's space: asking for a sign-in link, confirming an erasure."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AccessRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("The e-mail address given with your orders"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my name, e-mail, phone and addresses will be erased from "
                "these orders, for good."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )

"""Forms of the shopper's space: asking for a sign-in link."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AccessRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("The e-mail address given with your orders"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


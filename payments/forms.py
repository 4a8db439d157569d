"""The demo card form. It never sees a real card: only the two demo numbers pass."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACCEPTED_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
EXPIRY_PATTERN = re.compile(r"^(\d{1,2})\s*/\s*(\d{2}|\d{4})$")


def grouped(card_number: str) -> str:
    """'4242424242424242' → '4242 4242 4242 4242'."""
    return " ".join(card_number[i:i + 4] for i in range(0, len(card_number), 4))


class DemoCardForm(forms.Form):
    card_number = forms.CharField(
        label=gettext_lazy("Card number"), max_length=40,
        widget=forms.TextInput(attrs={
            "autocomplete": "cc-number", "inputmode": "numeric", "spellcheck": "false",
            "aria-describedby": "demo-cards-help",
        }),
    )
    expiry = forms.CharField(
        label=gettext_lazy("Expiry date (MM/YY)"), max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "inputmode": "numeric"}),
    )
    security_code = forms.CharField(
        label=gettext_lazy("Security code"), max_length=4, min_length=3,
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                described_by = " ".join(filter(None, [f"id_{name}_error",
                                                      attrs.get("aria-describedby")]))
                attrs.update({"aria-invalid": "true", "aria-describedby": described_by})

    def clean_card_number(self) -> str:
        number = re.sub(r"[\s-]", "", self.cleaned_data["card_number"])
        if number not in (ACCEPTED_CARD, DECLINED_CARD):
            raise forms.ValidationError(
                _("This demonstration only takes the card %(accepted)s (payment accepted) "
                  "or %(declined)s (payment declined).")
                % {"accepted": grouped(ACCEPTED_CARD), "declined": grouped(DECLINED_CARD)}
            )
        return number

    def clean_expiry(self) -> tuple[int, int]:
        match = EXPIRY_PATTERN.match(self.cleaned_data["expiry"].strip())
        month, year = (int(match[1]), int(match[2])) if match else (0, 0)
        if not 1 <= month <= 12:
            raise forms.ValidationError(_("Enter the expiry date as MM/YY, for example 12/30."))
        year = year + 2000 if year < 100 else year
        today = timezone.localdate()
        if (year, month) < (today.year, today.month):
            raise forms.ValidationError(_("This card has expired."))
        return month, year

    def clean_security_code(self) -> str:
        code = self.cleaned_data["security_code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("Enter the 3 or 4 digits on the back of the card."))
        return code

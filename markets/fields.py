"""Commission rates: kept in basis points (500 = 5 %), typed and read as percentages."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

MAX_COMMISSION_BPS = 5000
HUNDREDTH = Decimal("0.01")
NUMBER = re.compile(r"\d{1,6}(?:[.,]\d{1,6})?")


def percent_text(bps: int, language: str | None = None) -> str:
    """550 → « 5,5 » in French, "5.5" in English: what the organiser types."""
    text = f"{(Decimal(bps) / 100).normalize():f}"
    return text.replace(".", ",") if (language or get_language() or "fr").startswith("fr") \
        else text


def format_rate(bps: int, language: str | None = None) -> str:
    """550 → « 5,5 % » in French, "5.5%" in English."""
    language = language or get_language() or "fr"
    text = percent_text(bps, language)
    return f"{text}\u00a0%" if language.startswith("fr") else f"{text}%"


class PercentField(forms.Field):
    """A percentage such as « 5 », « 5,5 » or « 5.25 » (two decimals at most, up to
    `max_bps`), cleaned to basis points: « 5,5 » → 550."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 6})
    default_error_messages = {
        "invalid": _("Enter a percentage such as 5 or 5,5."),
        "decimals": _("Give the percentage with two decimals at most, such as 5,25."),
        "range": _("Enter a percentage between 0 and %(max)s."),
    }

    def __init__(self, *, max_bps: int = MAX_COMMISSION_BPS, **kwargs):
        self.max_bps = max_bps
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return percent_text(value)
        return value

    def to_python(self, value) -> int | None:
        text = str(value if value is not None else "").strip()
        text = text.removesuffix("%").strip().replace("\u202f", "").replace("\xa0", "")
        if text in self.empty_values:
            return None
        text = text.replace(" ", "")
        if not NUMBER.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        percent = Decimal(text.replace(",", "."))
        if percent != percent.quantize(HUNDREDTH):
            raise ValidationError(self.error_messages["decimals"], code="decimals")
        bps = int(percent * 100)
        if not 0 <= bps <= self.max_bps:
            raise ValidationError(self.error_messages["range"], code="range",
                                  params={"max": format_rate(self.max_bps)})
        return bps


class CommissionRateField(models.PositiveIntegerField):
    """A commission rate in basis points, which forms offer as a percentage."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [MaxValueValidator(MAX_COMMISSION_BPS)])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # Skips IntegerField's bounds in basis points: the percent field checks its own.
        return models.Field.formfield(self, **{"form_class": PercentField, **kwargs})

"""The accent colour an organiser gives a market: a hex colour that white text can sit on,
and that can sit on white, at the WCAG AA contrast for normal text (4.5:1)."""

import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MINIMUM_CONTRAST = 4.5
WHITE_LUMINANCE = 1.0


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a `#rrggbb` colour."""
    channels = [int(colour[index:index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    red, green, blue = linear
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour: str) -> float:
    return (WHITE_LUMINANCE + 0.05) / (relative_luminance(colour) + 0.05)


def validate_accent_colour(value: str) -> None:
    if not HEX_COLOUR.match(value):
        raise ValidationError(
            _("Enter a colour as # followed by six hexadecimal digits, e.g. #0b6b3a."),
            code="invalid_colour")
    ratio = contrast_with_white(value)
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            _("This colour is too light: white text on it, or it on white, has a contrast of "
              "%(ratio)s:1, below the 4.5:1 needed to be readable. Choose a darker shade."),
            code="low_contrast", params={"ratio": number_format(ratio, 1)})

"""Validators for French company and association identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def luhn_complete(digits: str) -> str:
    """`digits` followed by the check digit that makes the whole pass the Luhn test (to make
    valid identifiers for demonstrations and tests)."""
    for check in "0123456789":
        if _luhn_ok(digits + check):
            return digits + check
    raise AssertionError("a Luhn check digit always exists")


LA_POSTE_SIREN = "356000000"


def _checksum_ok(siret: str) -> bool:
    # La Poste's establishments share one SIREN and follow their own rule: the sum of
    # the digits is a multiple of 5.
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_SIREN + "00048":
        return sum(int(char) for char in siret) % 5 == 0
    return _luhn_ok(siret)


def normalise_siret(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def validate_siret(value: str) -> None:
    """SIRET: 14 digits whose Luhn key is valid (spaces are tolerated)."""
    siret = normalise_siret(value)
    if not siret.isdigit():
        raise ValidationError(_("A SIRET number contains digits only."), code="siret_digits")
    if len(siret) != 14:
        raise ValidationError(
            _("A SIRET number has 14 digits (%(count)d given)."),
            code="siret_length",
            params={"count": len(siret)},
        )
    if not _checksum_ok(siret):
        raise ValidationError(
            _("This SIRET number is not valid: its check digit does not match. "
              "Please copy it again from your Kbis or INSEE notice."),
            code="siret_checksum",
        )


def validate_rna(value: str) -> None:
    """RNA (répertoire national des associations): W followed by 9 digits."""
    rna = (value or "").strip().upper()
    if not rna.startswith("W"):
        raise ValidationError(
            _("An RNA number starts with the letter W (for example W442001234)."),
            code="rna_prefix",
        )
    if not re.fullmatch(r"W\d{9}", rna):
        raise ValidationError(
            _("An RNA number is the letter W followed by 9 digits (for example W442001234)."),
            code="rna_format",
        )


FRENCH_VAT_NUMBER = re.compile(r"FR([0-9A-HJ-NP-Z]{2})(\d{9})")


def normalise_vat_number(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def french_vat_key(siren: str) -> str:
    """The numeric key of a French VAT number: (12 + 3 × (SIREN mod 97)) mod 97."""
    return f"{(12 + 3 * (int(siren) % 97)) % 97:02d}"


def french_vat_number(siren: str) -> str:
    """The VAT number of a French SIREN (as the tax office gives it, with its numeric key)."""
    return f"FR{french_vat_key(siren)}{siren}"


def validate_vat_number(value: str) -> None:
    """French intra-community VAT number: FR, a two-character key, the 9-digit SIREN
    (spaces are tolerated). A numeric key must match the SIREN; the older keys made of
    letters cannot be checked here."""
    match = FRENCH_VAT_NUMBER.fullmatch(normalise_vat_number(value))
    if match is None:
        raise ValidationError(
            _("A French VAT number is FR, a two-character key and the 9 digits of your "
              "SIREN (for example FR 40 303265045)."),
            code="vat_format",
        )
    key, siren = match.groups()
    if key.isdigit() and key != french_vat_key(siren):
        raise ValidationError(
            _("This VAT number is not valid: its key does not match the SIREN. Please copy "
              "it again from your tax account or your invoices."),
            code="vat_key",
        )

import pytest
from django.core.exceptions import ValidationError

from tests.factories import VendorFactory, valid_siret
from vendors.models import Vendor
from vendors.validators import (
    french_vat_key,
    validate_rna,
    validate_siret,
    validate_vat_number,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "siret", ["73282932000074", "732 829 320 00074", "356 000 000 00048", "35600000049837"]
)
def test_valid_sirets_pass(siret):
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("7328293200007A", "siret_digits"),
        ("7328293200007", "siret_length"),
        ("732829320000740", "siret_length"),
        ("73282932000075", "siret_checksum"),
    ],
)
def test_each_wrong_siret_gets_its_own_message(siret, code):
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)

    assert error.value.code == code


def test_the_length_message_says_how_many_digits_were_given():
    with pytest.raises(ValidationError) as error:
        validate_siret("12345")

    assert "14" in error.value.messages[0]
    assert "5" in error.value.messages[0]


@pytest.mark.parametrize("rna", ["W442001234", "w442001234"])
def test_valid_rna_numbers_pass(rna):
    validate_rna(rna)


@pytest.mark.parametrize(
    ("rna", "code"),
    [("442001234", "rna_prefix"), ("X442001234", "rna_prefix"), ("W44200123", "rna_format"),
     ("W44200123A", "rna_format")],
)
def test_each_wrong_rna_gets_its_own_message(rna, code):
    with pytest.raises(ValidationError) as error:
        validate_rna(rna)

    assert error.value.code == code


def test_a_vendor_needs_a_siret_or_an_rna_number():
    vendor = VendorFactory.build(siret="", rna="")

    with pytest.raises(ValidationError) as error:
        vendor.full_clean()

    assert "siret" in error.value.message_dict


def test_full_clean_normalises_identifiers():
    siret = valid_siret()
    vendor = VendorFactory.build(siret=f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}",
                                 rna="w442001234", slug="normalise")

    vendor.full_clean()

    assert vendor.siret == siret
    assert vendor.rna == "W442001234"


def test_the_messages_are_french_by_default():
    with pytest.raises(ValidationError) as error:
        validate_siret("73282932000075")

    assert "SIRET" in error.value.messages[0]
    assert "clé" in error.value.messages[0] or "contrôle" in error.value.messages[0]


def test_vendor_statuses_are_those_of_the_design():
    assert set(Vendor.Status.values) == {"applied", "approved", "suspended"}


@pytest.mark.parametrize("number", ["FR40303265045", "fr 40 303 265 045", "FR40 303.265.045",
                                    "FRAB303265045"])
def test_valid_french_vat_numbers_pass(number):
    validate_vat_number(number)


@pytest.mark.parametrize(("number", "code"), [
    ("FR41303265045", "vat_key"),
    ("FR4030326504", "vat_format"),
    ("DE123456789", "vat_format"),
    ("FRIO303265045", "vat_format"),
    ("303265045", "vat_format"),
])
def test_each_wrong_vat_number_gets_its_own_message(number, code):
    with pytest.raises(ValidationError) as error:
        validate_vat_number(number)

    assert error.value.code == code


def test_a_vendor_subject_to_vat_gives_its_number_which_ends_with_its_siren():
    siret = valid_siret()
    missing = VendorFactory.build(siret=siret, vat_liable=True, vat_number="")
    other_siren = VendorFactory.build(siret=siret, vat_liable=True, vat_number="FR40303265045")
    spaced = VendorFactory.build(siret=siret, slug="tva", vat_liable=True,
                                 vat_number=f"fr {french_vat_key(siret[:9])} {siret[:9]}")

    for vendor in (missing, other_siren):
        with pytest.raises(ValidationError) as error:
            vendor.full_clean()
        assert "vat_number" in error.value.message_dict
    spaced.full_clean()
    assert spaced.vat_number == f"FR{french_vat_key(siret[:9])}{siret[:9]}"


def test_a_vendor_is_not_subject_to_vat_unless_it_says_so():
    assert VendorFactory().vat_liable is False

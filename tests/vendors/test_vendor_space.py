"""The vendor's own space: dashboard, « Ma structure », « Mes photos »."""

import pytest
from django.urls import reverse
from wagtail.images import get_image_model

from tests.factories import ImageFactory, ProductFactory
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

EMPTY_RICH_TEXT = '{"blocks": [], "entityMap": {}}'


def refused(response) -> bool:
    """Wagtail answers a forbidden admin URL with 403/404, or a redirect to the dashboard."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_the_dashboard_shows_the_vendors_catalogue_at_a_glance(client, vendor_a):
    ProductFactory(vendor=vendor_a.vendor, title="Lampe vendue", slug="lampe", stock=0)
    client.force_login(vendor_a.user)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Structure a" in html
    assert "Lampe vendue" in html


def test_ma_structure_edits_the_vendors_own_profile_only(client, vendor_a, vendor_b):
    client.force_login(vendor_a.user)
    url = reverse("vendors_my_vendor")
    page = client.get(url)

    response = client.post(url, {
        "name": "Structure a renommée", "description": EMPTY_RICH_TEXT,
        "ess_commitment": "Réemploi",
        "email": "a@example.org", "phone": "", "website": "", "address": "", "postcode": "",
        "city": "Rezé", "shipping_fee": "4,90", "ships": "on",
        "default_solidarity_percent": "15", "default_solidarity_project": "",
        "status": "suspended", "siret": "00000000000000",
    })

    assert page.status_code == 200
    assert response.status_code == 302
    vendor = Vendor.objects.get(pk=vendor_a.vendor.pk)
    assert (vendor.name, vendor.city, vendor.shipping_fee_cents, vendor.default_solidarity_bps) == (
        "Structure a renommée", "Rezé", 490, 1500)
    assert vendor.status == Vendor.Status.APPROVED
    assert vendor.siret == vendor_a.vendor.siret
    assert Vendor.objects.get(pk=vendor_b.vendor.pk).name == "Structure b"


def test_ma_structure_keeps_a_plain_text_description_as_a_paragraph(client, vendor_a):
    client.force_login(vendor_a.user)

    response = client.post(reverse("vendors_my_vendor"), {
        "name": "Structure a", "description": "Ressourcerie <i>solidaire</i>",
        "ess_commitment": "Réemploi", "email": "a@example.org", "phone": "", "website": "",
        "address": "", "postcode": "", "city": "Rezé", "shipping_fee": "",
        "default_solidarity_percent": "", "default_solidarity_project": "",
    })

    assert response.status_code == 302
    assert Vendor.objects.get(pk=vendor_a.vendor.pk).description == (
        "<p>Ressourcerie &lt;i&gt;solidaire&lt;/i&gt;</p>")


def profile(vendor, **changes) -> dict:
    return {
        "name": vendor.name, "description": EMPTY_RICH_TEXT, "ess_commitment": "Réemploi",
        "email": vendor.email, "phone": "", "website": "", "address": "", "postcode": "",
        "city": "Nantes", "shipping_fee": "", "default_solidarity_percent": "",
        "default_solidarity_project": "", **changes,
    }


def test_ma_structure_records_the_vendors_vat_situation(client, vendor_a):
    from vendors.validators import french_vat_key

    client.force_login(vendor_a.user)
    siren = vendor_a.vendor.siret[:9]
    url = reverse("vendors_my_vendor")

    without_number = client.post(url, profile(vendor_a.vendor, vat_liable="on",
                                              vat_number="", vat_rate_bps="2000"))
    wrong_key = f"{(int(french_vat_key(siren)) + 1) % 97:02d}"
    bad_key = client.post(url, profile(vendor_a.vendor, vat_liable="on",
                                       vat_number=f"FR{wrong_key}{siren}", vat_rate_bps="2000"))
    saved = client.post(url, profile(
        vendor_a.vendor, vat_liable="on", vat_rate_bps="550",
        vat_number=f"FR {french_vat_key(siren)} {siren[:3]} {siren[3:6]} {siren[6:]}"))

    assert without_number.status_code == 200
    assert "Indiquez votre numéro de TVA intracommunautaire" in without_number.content.decode()
    assert bad_key.status_code == 200
    assert "sa clé ne correspond pas au SIREN" in bad_key.content.decode()
    assert saved.status_code == 302
    vendor = Vendor.objects.get(pk=vendor_a.vendor.pk)
    assert (vendor.vat_liable, vendor.vat_number, vendor.vat_rate_bps) == (
        True, f"FR{french_vat_key(siren)}{siren}", 550)


def test_a_user_without_vendor_cannot_open_ma_structure(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("vendors_my_vendor"))

    assert response.status_code in (302, 403)
    assert response.get("Location", "") != reverse("vendors_my_vendor")


def test_mes_photos_shows_only_the_vendors_collection(client, vendor_a, vendor_b):
    image_a = ImageFactory(title="Photo privée A", collection=vendor_a.vendor.collection)
    image_b = ImageFactory(title="Photo privée B", collection=vendor_b.vendor.collection)
    client.force_login(vendor_b.user)

    listing = client.get(reverse("wagtailimages:index")).content.decode()
    chooser = client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
    edit_other = client.get(reverse("wagtailimages:edit", args=[image_a.pk]))
    chosen_other = client.get(reverse("wagtailimages_chooser:chosen", args=[image_a.pk]))
    menu = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Photo privée B" in listing and "Photo privée A" not in listing
    assert "Photo privée B" in chooser and "Photo privée A" not in chooser
    assert refused(edit_other)
    assert refused(chosen_other)
    assert "Mes photos" in menu
    assert get_image_model().objects.filter(pk=image_b.pk).exists()


def test_a_vendor_uploads_into_its_own_collection_only(vendor_a, vendor_b):
    from wagtail.images.permissions import permission_policy

    collections = permission_policy.collections_user_has_permission_for(vendor_a.user, "add")

    assert list(collections) == [vendor_a.vendor.collection]


def test_menu_labels_follow_the_user_not_the_last_request(client, vendor_a, admin_user):
    client.force_login(vendor_a.user)
    vendor_menu = client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(admin_user)

    admin_menu = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Mes photos" in vendor_menu and "Mes produits" in vendor_menu
    assert "Mes commandes" in vendor_menu
    assert "Mes photos" not in admin_menu and "Mes produits" not in admin_menu

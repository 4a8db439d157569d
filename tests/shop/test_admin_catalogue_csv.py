"""Catalogue CSV import and export through the vendor's back office."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shop.models import Product

pytestmark = pytest.mark.django_db

GOOD = (
    "titre;description;catégorie;état;prix;stock;part solidaire\n"
    "Théière en fonte;Belle pièce;vaisselle;très bon état;18,50;1;10\n"
    "Vélo enfant;;velos;bon état;35;1;\n"
).encode("cp1252")
BAD = (
    "titre;catégorie;état;prix;stock\n"
    "Théière;vaisselle;bon état;douze;1\n"
    "Vélo;inconnue;bon état;35;-2\n"
).encode()


def upload(content, name="catalogue.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_a_dry_run_shows_every_line_and_imports_nothing(client, vendor_a):
    client.force_login(vendor_a.user)

    response = client.post(reverse("shop_catalogue_import"),
                           {"file": upload(GOOD), "dry_run": "on"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Théière en fonte" in html and "18,50" in html
    assert not Product.objects.filter(title="Théière en fonte").exists()


def test_a_good_file_is_imported_for_the_vendor(client, vendor_a):
    client.force_login(vendor_a.user)

    response = client.post(reverse("shop_catalogue_import"), {"file": upload(GOOD)})

    assert response.status_code == 302
    imported = Product.objects.filter(vendor=vendor_a.vendor, title__in=["Théière en fonte",
                                                                          "Vélo enfant"])
    assert imported.count() == 2
    assert imported.get(title="Théière en fonte").price_cents == 1850


def test_a_malformed_file_gets_line_numbered_errors_and_imports_nothing(client, vendor_a):
    client.force_login(vendor_a.user)

    response = client.post(reverse("shop_catalogue_import"), {"file": upload(BAD)})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ligne 2" in html and "Ligne 3" in html
    assert Product.objects.filter(vendor=vendor_a.vendor).count() == 1


def test_a_non_csv_upload_is_refused_with_a_message(client, vendor_a):
    client.force_login(vendor_a.user)

    response = client.post(reverse("shop_catalogue_import"),
                           {"file": upload(b"\x89PNG\r\n", name="photo.png")})

    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_the_export_holds_only_the_vendors_own_catalogue(client, vendor_a, vendor_b):
    client.force_login(vendor_b.user)

    response = client.get(reverse("shop_catalogue_export"))

    assert response.status_code == 200
    assert "Produit secret b" in response.content.decode("utf-8-sig")
    assert "Produit secret a" not in response.content.decode("utf-8-sig")


def test_users_without_a_vendor_cannot_import_or_export(client, admin_user):
    client.force_login(admin_user)

    assert client.get(reverse("shop_catalogue_import")).status_code in (302, 403)
    assert client.get(reverse("shop_catalogue_export")).status_code in (302, 403)


def test_the_product_list_offers_the_import(client, vendor_a):
    client.force_login(vendor_a.user)

    html = client.get(reverse("wagtailsnippets_shop_product:list")).content.decode()

    assert reverse("shop_catalogue_import") in html

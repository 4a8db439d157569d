"""The catalogue import page: checked first (ticked by default), then imported from the
kept file without sending it again; scoped to the vendor's own catalogue."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shop.catalogue.csv import catalogue_export_csv
from shop.models import Product
from tests.factories import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db

URL = "shop_catalogue_import"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


def upload(content: bytes, name: str = "catalogue.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def export_with_new_prices(vendor, count: int) -> bytes:
    """The vendor's export with the first `count` prices raised by one cent."""
    text = catalogue_export_csv(vendor=vendor).decode("utf-8-sig")
    lines = text.split("\r\n")
    for number in range(1, count + 1):
        cells = lines[number].split(";")
        cells[6] = cells[6][:-1] + str((int(cells[6][-1]) + 1) % 10)
        lines[number] = ";".join(cells)
    return "\r\n".join(lines).encode("utf-8-sig")


def test_the_check_is_ticked_by_default(client, vendor_a):
    client.force_login(vendor_a.user)

    response = client.get(reverse(URL))

    assert response.status_code == 200
    assert response.context["form"]["dry_run"].value() is True
    html = response.content.decode()
    assert 'name="dry_run"' in html and "checked" in html.split('name="dry_run"')[1][:80]
    assert "Vérifier sans importer" in html


def test_the_check_shows_changes_then_imports_the_kept_file(client, vendor_a):
    # given the vendor's export with its price changed and a new line
    client.force_login(vendor_a.user)
    product = vendor_a.product
    data = (export_with_new_prices(vendor_a.vendor, 1).decode("utf-8-sig")
            + "\r\n;;Lampe verte;;vaisselle;neuf;12;1;;;").encode("utf-8-sig")

    # when it is sent with the check ticked
    response = client.post(reverse(URL), {"file": upload(data), "dry_run": "on"})

    # then each line says what it would do, and nothing is written yet
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 produit à ajouter" in html and "1 produit à modifier" in html
    assert "Prix : 12,50\u00a0€ → 12,51\u00a0€" in html
    assert "Nouveau produit" in html
    product.refresh_from_db()
    assert product.price_cents == 1250
    token = response.context["confirm_form"]["token"].value()

    # when the vendor confirms, without sending the file again
    response = client.post(reverse(URL), {"token": token})

    # then the file is imported and the kept copy forgotten
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.price_cents == 1251
    assert Product.objects.filter(vendor=vendor_a.vendor, title="Lampe verte").exists()
    again = client.post(reverse(URL), {"token": token}, follow=True)
    assert "n’est plus disponible" in again.content.decode() or (
        "n'est plus disponible" in again.content.decode())
    assert Product.objects.filter(vendor=vendor_a.vendor, title="Lampe verte").count() == 1


def test_an_unchanged_file_has_nothing_to_import(client, vendor_a):
    client.force_login(vendor_a.user)
    data = catalogue_export_csv(vendor=vendor_a.vendor)

    response = client.post(reverse(URL), {"file": upload(data), "dry_run": "on"})

    html = response.content.decode()
    assert "1 produit inchangé" in html
    assert "rien à importer" in html.lower()
    assert response.context["confirm_form"] is None


def test_another_vendors_token_imports_nothing(client, vendor_a, vendor_b):
    # given vendor A's checked file
    client.force_login(vendor_a.user)
    data = b"titre;categorie;etat;prix;stock\r\nLampe;vaisselle;neuf;12;1"
    response = client.post(reverse(URL), {"file": upload(data), "dry_run": "on"})
    token = response.context["confirm_form"]["token"].value()

    # when vendor B, or a forged token, tries to import it
    client.force_login(vendor_b.user)
    refused = client.post(reverse(URL), {"token": token}, follow=True)
    forged = client.post(reverse(URL), {"token": token[:-2] + "xx"}, follow=True)

    # then nothing is imported for anyone
    assert refused.status_code == 200 and forged.status_code == 200
    assert not Product.objects.filter(title="Lampe").exists()


def test_another_vendors_id_is_refused_on_its_line(client, vendor_a, vendor_b):
    client.force_login(vendor_b.user)
    data = catalogue_export_csv(vendor=vendor_a.vendor)

    response = client.post(reverse(URL), {"file": upload(data), "dry_run": "on"})

    html = response.content.decode()
    assert f"Ligne 2, id : aucun de vos produits n’a l’id {vendor_a.product.pk}" in html
    assert response.context["confirm_form"] is None


def test_without_the_check_the_file_is_imported_at_once(client, vendor_a):
    client.force_login(vendor_a.user)
    data = export_with_new_prices(vendor_a.vendor, 1)

    response = client.post(reverse(URL), {"file": upload(data)}, follow=True)

    assert "0 produit ajouté, 1 produit mis à jour." in response.content.decode()
    vendor_a.product.refresh_from_db()
    assert vendor_a.product.price_cents == 1251


def test_the_export_is_offered_as_xlsx(client, vendor_a, vendor_b):
    client.force_login(vendor_b.user)

    response = client.get(reverse("shop_catalogue_export"), {"format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Produit secret b"]


def test_a_reference_is_unique_in_the_vendors_catalogue_only(client, vendor_a, vendor_b):
    # given vendor B uses the reference « REF-1 », and vendor A too on another product
    ProductFactory(vendor=vendor_b.vendor, reference="REF-1", slug="autre")
    ProductFactory(vendor=vendor_a.vendor, reference="REF-1", slug="lampe")
    client.force_login(vendor_b.user)
    url = reverse("wagtailsnippets_shop_product:edit", args=[vendor_b.product.pk])
    response = client.get(url)
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0",
                 "images-MIN_NUM_FORMS": "0", "images-MAX_NUM_FORMS": "8"})

    # when vendor B gives its product the reference it already uses
    data["reference"] = "REF-1"
    response = client.post(url, data)

    # then the form says so; vendor A's use of it does not matter
    assert response.status_code == 200
    assert "Un autre de vos produits a déjà cette référence." in response.content.decode()


def preview_queries(client, data: bytes) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.post(reverse(URL), {"file": upload(data), "dry_run": "on"})
    assert response.status_code == 200 and response.context["report"].is_valid
    return len(context.captured_queries)


def test_the_check_does_not_grow_with_the_file(client, vendor_a, django_assert_max_num_queries):
    # given a catalogue with photos, checked once with a few changed lines
    client.force_login(vendor_a.user)
    for number in range(200):
        product = ProductFactory(vendor=vendor_a.vendor, slug=f"objet-{number}",
                                 reference=f"R{number}")
        if number % 50 == 0:
            ProductImageFactory(product=product)
    client.get(reverse(URL))
    few = preview_queries(client, export_with_new_prices(vendor_a.vendor, 3))
    all_changed = export_with_new_prices(vendor_a.vendor, 200)

    # then checking 200 changed lines takes no more queries: the vendor's products, their
    # photos, the categories and the projects are each read once, whatever the file's size
    with django_assert_max_num_queries(few):
        preview_queries(client, all_changed)

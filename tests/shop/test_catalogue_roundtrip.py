"""A vendor exports its catalogue, edits it and imports it back: products named by id or
reference are updated, the others added, and an unedited file changes nothing."""

import codecs
import csv
import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook
from PIL import Image as PILImage

from shop.catalogue.csv import (
    CREATE,
    UNCHANGED,
    UPDATE,
    catalogue_export_csv,
    catalogue_export_xlsx,
    catalogue_import,
    catalogue_import_preview,
)
from shop.models import Product, ProductImage
from tests.factories import (
    ProductFactory,
    ProductImageFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    category,
)
from vendors.services import vendor_workspace_ensure

pytestmark = pytest.mark.django_db

HEADER = "id;référence;titre;description;catégorie;état;prix;stock;part solidaire"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def vendor():
    vendor = VendorFactory(default_solidarity_bps=1000)
    vendor_workspace_ensure(vendor=vendor)
    return vendor


@pytest.fixture
def catalogue(vendor):
    """A varied catalogue: references or none, rich descriptions, a project, photos."""
    project = SolidarityProjectPageFactory(title="Jardin partagé")
    products = [
        ProductFactory(vendor=vendor, title="Vélo enfant", reference="VEL-01",
                       category=category("velos"), condition=Product.Condition.FAIR,
                       price_cents=123456, stock=0, solidarity_bps=0),
        ProductFactory(vendor=vendor, title="=1+1", condition=Product.Condition.NEW,
                       description="<p>Deux ; <b>trois</b> &amp; « quatre »</p>"
                                   "<ul><li>un</li><li>deux</li></ul>",
                       price_cents=1, stock=7, solidarity_bps=2050, solidarity_project=project),
    ]
    products += [
        ProductFactory(vendor=vendor, title=f"Assiette {n}", price_cents=450 + n,
                       description=f'<p data-block-key="k{n}">Assiette n°{n}</p><p>Bleue</p>')
        for n in range(6)
    ]
    ProductImageFactory(product=products[0], image__collection_id=vendor.collection_id)
    return products


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def snapshot(vendor):
    return list(Product.objects.filter(vendor=vendor).order_by("pk").values())


def png(name: str = "photo.png", colour=(10, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def zip_of(**files: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


# Round trip


def test_export_then_import_of_the_same_file_changes_nothing(vendor, catalogue):
    # given the vendor's exported catalogue
    data = catalogue_export_csv(vendor=vendor)
    before = snapshot(vendor)

    # when it is checked, then imported
    preview = catalogue_import_preview(vendor=vendor, data=data)
    report = catalogue_import(vendor=vendor, data=data)

    # then every line is recognised as unchanged, and nothing was written
    assert preview.is_valid, preview.errors
    assert [row.action for row in preview.rows] == [UNCHANGED] * len(catalogue)
    assert (preview.to_create, preview.to_update, preview.unchanged) == (0, 0, len(catalogue))
    assert (report.created, report.updated) == (0, 0)
    assert snapshot(vendor) == before


def test_export_writes_descriptions_as_plain_text(vendor, catalogue):
    rows = csv_rows(catalogue_export_csv(vendor=vendor))

    descriptions = [row[3] for row in rows[1:]]
    assert descriptions[1] == "Deux ; trois & « quatre »\nun\ndeux"
    assert descriptions[2] == "Assiette n°0\nBleue"
    assert not any("<" in description for description in descriptions)


def test_changing_three_prices_updates_exactly_those_three_products(vendor, catalogue):
    # given the export with three prices changed
    rows = csv_rows(catalogue_export_csv(vendor=vendor))
    for row in rows[3:6]:
        row[6] = "99,90"
    changed_ids = {int(row[0]) for row in rows[3:6]}
    untouched = {p["id"]: p for p in snapshot(vendor) if p["id"] not in changed_ids}

    # when it is checked, then imported
    preview = catalogue_import_preview(vendor=vendor, data=csv_bytes(rows))
    report = catalogue_import(vendor=vendor, data=csv_bytes(rows))

    # then the check names those three, price only, and the import changes only them
    updated = [row for row in preview.rows if row.action == UPDATE]
    assert [row.product.pk for row in updated] == sorted(changed_ids)
    assert all([change.label for change in row.changes] == ["Price"] for row in updated)
    assert updated[0].changes[0].new == "€99.90"
    assert (report.created, report.updated) == (0, 3)
    after = {p["id"]: p for p in snapshot(vendor)}
    assert {pk for pk in changed_ids if after[pk]["price_cents"] == 9990} == changed_ids
    assert {pk: after[pk] for pk in untouched} == untouched


def test_formatting_is_kept_when_the_text_is_the_same_and_replaced_when_it_changes(
    vendor, catalogue
):
    # given the export, with one description rewritten over two paragraphs
    rows = csv_rows(catalogue_export_csv(vendor=vendor))
    rows[3][3] = "Assiette plate\n\nBleu & blanc"

    # when it is imported
    report = catalogue_import(vendor=vendor, data=csv_bytes(rows))

    # then that description is the new text, one paragraph per line, and the bold text of
    # the untouched one is still there
    assert report.updated == 1
    catalogue[2].refresh_from_db()
    catalogue[1].refresh_from_db()
    assert catalogue[2].description == "<p>Assiette plate</p><p>Bleu &amp; blanc</p>"
    assert "<b>trois</b>" in catalogue[1].description


def test_created_and_updated_rows_in_one_file(vendor, catalogue):
    # given a file naming a product by id, one by reference, a new reference and no key
    bike, plate = catalogue[0], catalogue[2]
    data = "\r\n".join([
        HEADER,
        f"{plate.pk};;Assiette creuse;;vaisselle;bon état;4,50;3;",
        ";VEL-01;Vélo enfant;;velos;état correct;1 000;1;0",
        ";LAMP-7;Lampe;Verte;vaisselle;neuf;12;1;",
        ";;Bol;;vaisselle;neuf;2;1;5",
    ]).encode()

    # when it is imported
    preview = catalogue_import_preview(vendor=vendor, data=data)
    report = catalogue_import(vendor=vendor, data=data)

    # then two products are updated and two added, with the vendor's defaults where empty
    assert [row.action for row in preview.rows] == [UPDATE, UPDATE, CREATE, CREATE]
    assert {change.label for change in preview.rows[0].changes} == {
        "Title", "Description", "Stock"}
    assert (report.created, report.updated) == (2, 2)
    plate.refresh_from_db()
    bike.refresh_from_db()
    assert (plate.title, plate.stock, plate.description) == ("Assiette creuse", 3, "")
    assert (bike.price_cents, bike.stock) == (100000, 1)
    lamp = Product.objects.get(vendor=vendor, reference="LAMP-7")
    assert (lamp.description, lamp.solidarity_bps) == ("<p>Verte</p>", 1000)
    assert Product.objects.get(vendor=vendor, title="Bol").solidarity_bps == 500

    # and a second import of the same file adds nothing more
    again = catalogue_import_preview(vendor=vendor, data=data)
    assert [row.action for row in again.rows] == [UNCHANGED, UNCHANGED, UNCHANGED, CREATE]


def test_another_vendors_id_is_a_line_error_and_nothing_is_written(vendor, catalogue):
    # given a product of another vendor, and a file naming it by its id
    other = ProductFactory(title="Chez le voisin", reference="VEL-01", price_cents=500)
    data = "\r\n".join([
        HEADER,
        f"{catalogue[2].pk};;Assiette;;vaisselle;bon état;1;1;",
        f"{other.pk};;Volé;;vaisselle;bon état;1;1;",
    ]).encode()

    # when it is imported
    report = catalogue_import(vendor=vendor, data=data)

    # then line 3 is refused, nothing is imported and the other vendor's product is intact
    assert [(e.line, e.column) for e in report.errors] == [(3, "id")]
    assert report.errors[0].message == (
        f"Line 3, id: none of your products has the id {other.pk}; leave the id empty to add "
        "a new product."
    )
    other.refresh_from_db()
    assert (other.title, other.price_cents) == ("Chez le voisin", 500)
    catalogue[2].refresh_from_db()
    assert catalogue[2].price_cents != 100


def test_a_reference_only_ever_names_the_vendors_own_product(vendor, catalogue):
    # given another vendor that also uses the reference « VEL-01 » and « SEUL-1 »
    theirs = ProductFactory(title="Leur vélo", reference="VEL-01", price_cents=500)
    ProductFactory(vendor=theirs.vendor, title="Leur lampe", reference="SEUL-1")
    data = "\r\n".join([
        "référence;titre;catégorie;état;prix;stock",
        "VEL-01;Vélo enfant;velos;état correct;20;1",
        "SEUL-1;Ma lampe;vaisselle;neuf;3;1",
    ]).encode()

    # when the vendor imports these references
    report = catalogue_import(vendor=vendor, data=data)

    # then its own product is updated and a new one added; the other vendor's are untouched
    assert (report.updated, report.created) == (1, 1), report.errors
    assert Product.objects.get(vendor=vendor, reference="VEL-01").price_cents == 2000
    assert Product.objects.get(vendor=vendor, reference="SEUL-1").title == "Ma lampe"
    theirs.refresh_from_db()
    assert (theirs.title, theirs.price_cents) == ("Leur vélo", 500)


@pytest.mark.parametrize(
    ("rows", "line", "message"),
    [
        ([";VEL-01;Vélo;;velos;neuf;1;1;", ";VEL-01;Vélo bis;;velos;neuf;1;1;"], 3,
         "Line 3: this product, or its reference, is already on line 2."),
        (["{plate};VEL-01;Assiette;;vaisselle;neuf;1;1;"], 2,
         "Line 2, reference: “VEL-01” is already the reference of your product {bike}."),
        (["abc;;Assiette;;vaisselle;neuf;1;1;"], 2, "Line 2, id: “abc” is not a product id."),
    ],
    ids=["same-product-twice", "reference-of-another-product", "bad-id"],
)
def test_ambiguous_rows_are_line_errors(vendor, catalogue, rows, line, message):
    ids = {"plate": catalogue[2].pk, "bike": catalogue[0].pk}
    data = "\r\n".join([HEADER, *(row.format(**ids) for row in rows)]).encode()

    report = catalogue_import(vendor=vendor, data=data)

    assert [(e.line, e.message) for e in report.errors] == [(line, message.format(**ids))]
    assert Product.objects.filter(vendor=vendor).count() == len(catalogue)


# Project column


def test_the_project_column_names_a_project_by_name_or_slug(vendor, catalogue):
    # given two live projects
    SolidarityProjectPageFactory(title="Épicerie solidaire")
    data = "\r\n".join([
        "id;titre;catégorie;état;prix;stock;projet solidaire",
        f"{catalogue[2].pk};Assiette 0;vaisselle;bon état;4,50;1;epicerie solidaire",
        f"{catalogue[1].pk};=1+1;vaisselle;neuf;0,01;7;aucun",
        f"{catalogue[3].pk};Assiette 1;vaisselle;bon état;4,51;1;",
        ";Pot;vaisselle;neuf;2;1;Inconnu au bataillon",
    ]).encode()

    # when it is checked
    report = catalogue_import_preview(vendor=vendor, data=data)

    # then names and « aucun » are understood, an empty cell keeps the project and an
    # unknown one is a line error
    assert [(e.line, e.column) for e in report.errors] == [(5, "project")]
    assert [change.new for change in report.rows[0].changes] == ["Épicerie solidaire"]
    assert [change.new for change in report.rows[1].changes] == ["chosen by the shopper"]
    assert report.rows[2].action == UNCHANGED


# Other file formats


def test_xlsx_export_reimports_to_no_change(vendor, catalogue):
    data = catalogue_export_xlsx(vendor=vendor)

    report = catalogue_import_preview(vendor=vendor, data=data)

    assert report.is_valid, report.errors
    assert report.unchanged == len(catalogue)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["C3"].value == "'=1+1" and sheet["C3"].data_type == "s"
    assert sheet["G2"].value == 1234.56


def test_an_xlsx_workbook_typed_by_hand_is_read(vendor):
    # given a workbook with numbers as numbers and a share formatted as a percentage
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Titre", "Catégorie", "État", "Prix", "Stock", "Part solidaire"])
    sheet.append(["Théière", "vaisselle", "très bon état", 18.5, 2, 0.125])
    sheet["F2"].number_format = "0.0%"
    sheet.append([])
    sheet.append(["Vélo", "velos", "bon état", 35, 1, None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    # when it is imported
    report = catalogue_import(vendor=vendor, data=buffer.getvalue())

    # then both products are there, numbered as the sheet shows them
    assert report.created == 2, report.errors
    assert [row.line for row in report.rows] == [2, 4]
    teapot = Product.objects.get(vendor=vendor, title="Théière")
    assert (teapot.price_cents, teapot.stock, teapot.solidarity_bps) == (1850, 2, 1250)


def test_excel_unicode_text_is_read(vendor):
    # given Excel's « Texte Unicode »: tab-separated UTF-16 LE with a BOM
    text = "titre\tcatégorie\tétat\tprix\tstock\r\nBol « Ωmega »\tvaisselle\tneuf\t2,50\t1\r\n"
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")

    report = catalogue_import(vendor=vendor, data=data)

    assert report.created == 1, report.errors
    assert Product.objects.get(vendor=vendor).title == "Bol « Ωmega »"


# Photos


def test_photos_named_in_the_file_come_from_the_zip(vendor):
    # given a file naming two photos, sent with a ZIP holding them (one in a folder)
    data = ("titre;catégorie;état;prix;stock;photos\r\n"
            "Vase;vaisselle;neuf;5;1;vase.png | Mes photos/dos.PNG")
    photos = zip_of(**{"vase.png": png(), "photos__dos.png": png(colour=(1, 2, 3))})

    # when it is imported
    report = catalogue_import(vendor=vendor, data=data.encode(), photos=photos)

    # then the product has both photos, in order, in the vendor's own collection
    assert report.created == 1, report.errors
    product = Product.objects.get(vendor=vendor)
    images = [photo.image for photo in product.images.order_by("sort_order")]
    assert [image.title for image in images] == ["vase.png", "dos.PNG"]
    assert {image.collection_id for image in images} == {vendor.collection_id}
    assert images[0].width == 40

    # and its export re-imports, without the ZIP, to no change
    again = catalogue_import_preview(vendor=vendor, data=catalogue_export_csv(vendor=vendor))
    assert again.unchanged == 1, again.errors


def test_photos_replace_those_of_an_updated_product(vendor, catalogue):
    rows = csv_rows(catalogue_export_csv(vendor=vendor))
    rows[1][10] = "nouvelle.png"

    report = catalogue_import(vendor=vendor, data=csv_bytes(rows),
                              photos=zip_of(**{"nouvelle.png": png()}))

    assert report.updated == 1, report.errors
    assert [photo.image.title for photo in catalogue[0].images.all()] == ["nouvelle.png"]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("absente.jpg", "Line 2, photos: the photo “absente.jpg” is not in the ZIP file."),
        ("faux.png", "Line 2, photos: “faux.png” is not a JPEG, PNG or WebP image."),
        ("https://example.org/vase.jpg",
         "Line 2, photos: “https://example.org/vase.jpg” is a link; only the names of photos "
         "sent in the ZIP file are accepted."),
    ],
    ids=["missing", "not-an-image", "url"],
)
def test_bad_photos_are_line_errors_and_nothing_is_written(vendor, cell, message):
    data = f"titre;catégorie;état;prix;stock;photos\r\nVase;vaisselle;neuf;5;1;{cell}"

    report = catalogue_import(vendor=vendor, data=data.encode(),
                              photos=zip_of(**{"faux.png": b"<svg></svg>"}))

    assert [e.message for e in report.errors] == [message]
    assert not Product.objects.filter(vendor=vendor).exists()
    assert not ProductImage.objects.exists()


def test_a_broken_zip_is_a_file_error(vendor):
    data = "titre;catégorie;état;prix;stock\r\nVase;vaisselle;neuf;5;1".encode()

    report = catalogue_import(vendor=vendor, data=data, photos=b"PK\x03\x04broken")

    assert [e.message for e in report.errors] == ["The photos file is not a readable ZIP file."]

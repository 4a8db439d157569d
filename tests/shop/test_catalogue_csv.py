import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from shop.catalogue.csv import (
    MAX_ROWS,
    catalogue_export_csv,
    catalogue_export_rows,
    catalogue_import,
    catalogue_import_preview,
)
from shop.catalogue.csv.forms import CatalogueImportForm
from shop.models import Product
from tests.factories import ProductFactory, SolidarityProjectPageFactory, VendorFactory, category

pytestmark = pytest.mark.django_db

FRENCH_HEADER = "titre;description;catégorie;état;prix;stock;part solidaire"
ENGLISH_HEADER = "title,description,category,condition,price,stock,solidarity share"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding)


def french_file(*rows: str) -> bytes:
    return csv_bytes(FRENCH_HEADER, *rows)


def good_rows(count: int) -> list[str]:
    return [f"Assiette n°{n};;vaisselle;bon état;4,50;1;" for n in range(count)]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def vendor():
    return VendorFactory(default_solidarity_bps=1000)


def error_at(report, line, column=None):
    return [e for e in report.errors if e.line == line and (column is None or e.column == column)]


# Reading files as spreadsheets write them


def test_utf8_semicolon_french_header_creates_products(vendor):
    # given a French spreadsheet export
    data = french_file(
        "Théière émaillée;Bleue, « vintage »;Vaisselle et arts de la table;très bon état;"
        "12,50 €;2;20 %",
        "Vélo enfant;;velos;Comme Neuf;1 234,00;1;12,5",
    )

    # when it is imported
    report = catalogue_import(vendor=vendor, data=data)

    # then both products exist with the parsed values
    assert report.is_valid and report.created == 2
    teapot = Product.objects.get(vendor=vendor, title="Théière émaillée")
    assert teapot.category == category("vaisselle")
    assert teapot.condition == Product.Condition.VERY_GOOD
    assert (teapot.price_cents, teapot.stock, teapot.solidarity_bps) == (1250, 2, 2000)
    assert teapot.description == "<p>Bleue, « vintage »</p>"
    assert teapot.slug == "theiere-emaillee" and teapot.is_active
    bike = Product.objects.get(vendor=vendor, slug="velo-enfant")
    assert (bike.price_cents, bike.solidarity_bps) == (123400, 1250)
    assert bike.condition == Product.Condition.LIKE_NEW


def test_cp1252_comma_english_header_with_quotes_is_read(vendor):
    # given a Windows-1252 file, comma-separated, with quoted fields holding commas and newlines
    data = csv_bytes(
        ENGLISH_HEADER,
        '"Café, tasses", "Première ligne\nSeconde ligne",decoration,good,"12,50",3,',
        "Crêpière,,cuisine,like_new,8.5,1,5",
        encoding="cp1252",
    )

    # when it is previewed
    report = catalogue_import_preview(vendor=vendor, data=data)

    # then accents, quotes and line breaks survive, and the line numbers follow the records
    assert report.is_valid, report.errors
    first, second = report.rows
    assert first.values.title == "Café, tasses"
    assert first.values.description == "<p>Première ligne</p><p>Seconde ligne</p>"
    assert first.values.price_cents == 1250
    assert first.values.solidarity_bps == 1000  # the vendor's default
    assert (first.line, second.line) == (2, 3)
    assert second.values.title == "Crêpière" and second.values.price_cents == 850


def test_utf8_bom_and_header_variants_are_accepted(vendor):
    # given a UTF-8 file with BOM, headers in odd case, accents and units
    data = "\ufeffTitre; CATEGORIE ;Etat;Prix (€);Stock;Part_Solidaire (%)\n" \
           "Livre de cuisine;livres;bon état;3;1;0\n"

    # when it is previewed
    report = catalogue_import_preview(vendor=vendor, data=data.encode("utf-8"))

    # then the header is recognised and the optional description is empty
    assert report.is_valid, report.errors
    assert report.rows[0].values.description == ""
    assert report.rows[0].values.solidarity_bps == 0


def test_tab_separated_file_is_read(vendor):
    data = csv_bytes("titre\tcatégorie\tétat\tprix\tstock", "Puzzle\tjouets\tneuf\t5\t1")

    report = catalogue_import_preview(vendor=vendor, data=data)

    assert report.is_valid, report.errors


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ("VAISSELLE;Très Bon État;12.50 €;3;20%", ("vaisselle", "very_good", 1250, 3, 2000)),
        ("Maison > Vaisselle et arts de la table;very_good;0,5;0;0",
         ("vaisselle", "very_good", 50, 0, 0)),
        ("ELECTRONIQUE RECONDITIONNEE;etat correct;1\u00a0000;+2;100",
         ("high-tech", "fair", 100000, 2, 10000)),
        ("vetements-enfant;Like new;7;3,0;12.5 %", ("vetements-enfant", "like_new", 700, 3, 1250)),
    ],
)
def test_value_spellings_are_understood(vendor, cells, expected):
    data = french_file(f"Objet;;{cells}")

    report = catalogue_import_preview(vendor=vendor, data=data)

    assert report.is_valid, report.errors
    values = report.rows[0].values
    assert (values.category.slug, values.condition, values.price_cents, values.stock,
            values.solidarity_bps) == expected


def test_blank_lines_are_skipped_but_keep_the_numbering(vendor):
    data = french_file("", "Bol;;vaisselle;neuf;prix?;1;")

    report = catalogue_import_preview(vendor=vendor, data=data)

    assert [row.line for row in report.rows] == [3]
    assert error_at(report, 3, "price")


# Line-numbered errors


@pytest.mark.parametrize(
    ("row", "column", "text"),
    [
        ("Bol;;vaisselle;neuf;douze;1;", "price", "Line 3, price: “douze” is not a valid amount."),
        ("Bol;;vaisselle;neuf;0;1;", "price", "Line 3, price: the price must be at least €0.01."),
        ("Bol;;vaisselle;neuf;1,234;1;", "price", "Line 3, price: “1,234” is not a valid amount."),
        ("Bol;;vaisselle;neuf;1e3;1;", "price", "Line 3, price: “1e3” is not a valid amount."),
        ("Bol;;soucoupes;neuf;2;1;", "category", "Line 3, category: unknown category “soucoupes”."),
        ("Bol;;vaisselle;neuf;2;-1;", "stock", "Line 3, stock: the stock cannot be negative."),
        ("Bol;;vaisselle;neuf;2;2,5;", "stock",
         "Line 3, stock: “2,5” is not a whole number of items."),
        ("Bol;;vaisselle;abîmé;2;1;", "condition",
         "Line 3, condition: unknown condition “abîmé” (expected: neuf, comme neuf, "
         "très bon état, bon état, état correct)."),
        ("Bol;;vaisselle;neuf;2;1;120", "solidarity_bps",
         "Line 3, solidarity share: the share must be between 0 and 100 %."),
        ("Bol;;vaisselle;neuf;2;1;12,345", "solidarity_bps",
         "Line 3, solidarity share: “12,345” is not a valid percentage."),
        (";;vaisselle;neuf;2;1;", "title", "Line 3, title: this value is required."),
        ("B" * 201 + ";;vaisselle;neuf;2;1;", "title",
         "Line 3, title: the title is longer than 200 characters."),
    ],
)
def test_bad_value_is_reported_on_its_line_and_nothing_imported(vendor, row, column, text):
    # given one good row followed by a bad one
    data = french_file("Tasse;;vaisselle;neuf;2;1;", row)

    # when it is imported
    report = catalogue_import(vendor=vendor, data=data)

    # then the error names the line and the column, and nothing is created
    assert not report.is_valid and report.created == 0
    assert [(e.line, e.column, e.message) for e in report.errors] == [(3, column, text)]
    assert report.rows[0].is_valid and report.rows[1].errors == [text]
    assert not Product.objects.filter(vendor=vendor).exists()


def test_message_is_french_for_a_french_user(vendor):
    data = french_file(*good_rows(5), "Bol;;vaisselle;neuf;douze;1;")

    with translation.override("fr"):
        report = catalogue_import_preview(vendor=vendor, data=data)

    assert report.errors[0].message == "Ligne 7, prix : « douze » n'est pas un montant valide."


def test_several_errors_on_one_line_are_all_listed(vendor):
    data = french_file("Bol;;inconnue;usé;gratuit;-2;")

    report = catalogue_import_preview(vendor=vendor, data=data)

    assert {e.column for e in error_at(report, 2)} == {"category", "condition", "price", "stock"}


def test_unquoted_separator_in_a_value_is_explained(vendor):
    data = csv_bytes(ENGLISH_HEADER, "Bol,,vaisselle,new,12,50,1,")

    report = catalogue_import_preview(vendor=vendor, data=data)

    assert "quotes" in error_at(report, 2)[0].message


def test_missing_column_is_reported(vendor):
    data = csv_bytes("titre;catégorie;état;stock", "Bol;vaisselle;neuf;1")

    report = catalogue_import(vendor=vendor, data=data)

    assert [(e.line, e.message) for e in report.errors] == [(None, "Missing columns: prix.")]
    assert report.created == 0


def test_unknown_column_is_reported(vendor):
    data = csv_bytes("titre;catégorie;état;prix;stock;couleur", "Bol;vaisselle;neuf;2;1;bleu")

    report = catalogue_import(vendor=vendor, data=data)

    assert len(report.errors) == 1
    assert report.errors[0].message.startswith("Unknown columns: « couleur ».")


@pytest.mark.parametrize("data", [b"", b"  \r\n\r\n", FRENCH_HEADER.encode()])
def test_empty_or_header_only_file_is_refused(vendor, data):
    report = catalogue_import(vendor=vendor, data=data)

    assert not report.is_valid and report.rows == []
    assert report.errors[0].line is None


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"titre;cat\x81gorie;\xe9tat;prix;stock\nBol;vaisselle;neuf;2;1\n",
        b"\xef\xbb\xbftitre;\xe9tat\n",
    ],
    ids=["binary", "undefined-cp1252-byte", "bom-then-latin1"],
)
def test_unreadable_file_is_refused(vendor, data):
    report = catalogue_import(vendor=vendor, data=data)

    assert [(e.line, e.message) for e in report.errors] == [
        (None, "The file is not a readable CSV file (UTF-8, Windows-1252 or UTF-16 encoding "
               "expected).")
    ]


@pytest.mark.parametrize("data", [b"PK\x03\x04\x14\x00\x06\x00", b"\xd0\xcf\x11\xe0\xa1\xb1"],
                         ids=["broken-zip", "xls-97"])
def test_unreadable_workbook_is_refused_with_advice(vendor, data):
    report = catalogue_import(vendor=vendor, data=data)

    assert [e.message for e in report.errors] == [
        "This workbook cannot be read: save it as an Excel workbook (.xlsx) or in the CSV "
        "format."
    ]


def test_oversized_file_is_refused(vendor):
    data = french_file("Bol;" + "x" * (6 * 1024 * 1024) + ";vaisselle;neuf;2;1;")

    report = catalogue_import(vendor=vendor, data=data)

    assert report.errors[0].message == "The file is larger than 5 MB."


def test_five_thousand_rows_are_accepted_and_one_more_is_refused(vendor):
    # given files of exactly the limit and one row over it
    at_limit = french_file(*good_rows(MAX_ROWS))
    over_limit = french_file(*good_rows(MAX_ROWS + 1))

    # when both are imported
    refused = catalogue_import(vendor=vendor, data=over_limit)
    accepted = catalogue_import(vendor=vendor, data=at_limit)

    # then the first is refused whole and the second imported whole
    assert [e.message for e in refused.errors] == [
        "The file has more than 5,000 product rows: split it into several files."
    ]
    assert accepted.created == MAX_ROWS
    assert Product.objects.filter(vendor=vendor).count() == MAX_ROWS


# Writing


def test_dry_run_writes_nothing(vendor):
    report = catalogue_import_preview(vendor=vendor, data=french_file(*good_rows(3)))

    assert report.is_valid and report.created == 0
    assert not Product.objects.exists()


def test_products_get_the_vendor_defaults(vendor):
    project = SolidarityProjectPageFactory()
    vendor.default_solidarity_project = project
    vendor.save()

    catalogue_import(vendor=vendor, data=french_file("Bol;;vaisselle;neuf;2;1;"))

    product = Product.objects.get(vendor=vendor)
    assert product.solidarity_project_id == project.pk
    assert product.solidarity_bps == 1000


def test_slugs_are_unique_within_the_vendor(vendor):
    # given the vendor already sells a « bol » and another vendor a « tasse »
    ProductFactory(vendor=vendor, title="Bol", slug="bol")
    ProductFactory(title="Tasse", slug="tasse")

    # when a file repeats these titles
    catalogue_import(vendor=vendor, data=french_file(
        "Bol;;vaisselle;neuf;2;1;", "BOL;;vaisselle;neuf;2;1;", "Tasse;;vaisselle;neuf;2;1;",
        "!!!;;vaisselle;neuf;2;1;", "B" * 200 + ";;vaisselle;neuf;2;1;",
        "B" * 200 + ";;vaisselle;neuf;2;1;",
    ))

    # then each slug is unique for the vendor, with numbered suffixes
    products = Product.objects.filter(vendor=vendor).order_by("pk")
    slugs = list(products.values_list("slug", flat=True))
    assert slugs[:5] == ["bol", "bol-2", "bol-3", "tasse", "produit"]
    assert slugs[5] == "b" * 200 and slugs[6] == "b" * 198 + "-2"


def test_description_is_sanitised(vendor):
    # given descriptions with scripts, attributes and unsafe links
    data = french_file(
        'Vase;"<p onclick=""x()"">Joli <strong>vase</strong><script>alert(1)</script></p>'
        '<a href=""javascript:alert(1)"">lien</a>";vaisselle;neuf;2;1;',
        'Plat;"<em>Ancien</em> <a href=""https://example.org"" target=""_blank"">site</a>";'
        "vaisselle;neuf;2;1;",
        "Cruche;<script>alert(1)</script> 1 < 2;vaisselle;neuf;2;1;",
    )

    # when it is imported
    report = catalogue_import(vendor=vendor, data=data)

    # then only the allowed markup survives, and no script at all
    assert report.is_valid, report.errors
    descriptions = dict(Product.objects.filter(vendor=vendor).values_list("title", "description"))
    assert descriptions["Vase"] == "<p>Joli <strong>vase</strong></p><a>lien</a>"
    assert descriptions["Plat"] == '<p><em>Ancien</em> <a href="https://example.org">site</a></p>'
    assert descriptions["Cruche"] == "<p>1 &lt; 2</p>"
    assert all("script" not in text for text in descriptions.values())


def test_plain_text_description_is_escaped(vendor):
    report = catalogue_import_preview(
        vendor=vendor, data=french_file('Bol;"Petit & joli\n\nBleu";vaisselle;neuf;2;1;')
    )

    assert report.rows[0].values.description == "<p>Petit &amp; joli</p><p>Bleu</p>"


# Export


def test_export_holds_only_the_vendors_products(vendor):
    # given products of two vendors
    ProductFactory(vendor=vendor, title="Lampe", price_cents=1250, solidarity_bps=1250)
    ProductFactory(title="Chez le voisin")

    # when the vendor exports
    rows = list(catalogue_export_rows(vendor=vendor))

    # then only its own product is there, in the import's format, with a plain-text
    # description
    lamp = Product.objects.get(vendor=vendor)
    assert rows == [
        ["id", "référence", "titre", "description", "catégorie", "état", "prix", "stock",
         "part solidaire", "projet solidaire", "photos"],
        [str(lamp.pk), "", "Lampe", "Un bel objet, remis en état par notre équipe.",
         "vaisselle", "bon état", "12,50", "1", "12,5", "", ""],
    ]


def test_export_is_excel_friendly_csv(vendor):
    ProductFactory(vendor=vendor, title="Théière")

    data = catalogue_export_csv(vendor=vendor)

    assert data.startswith(b"\xef\xbb\xbfid;r\xc3\xa9f\xc3\xa9rence;titre;description;")
    assert "Théière" in data.decode("utf-8-sig")


def test_export_guards_against_formulas(vendor):
    ProductFactory(vendor=vendor, title='=HYPERLINK("http://evil.example")')
    ProductFactory(vendor=vendor, title="@SUM(A1)", description="-1+1")

    rows = list(csv.reader(io.StringIO(catalogue_export_csv(vendor=vendor).decode("utf-8-sig")),
                           delimiter=";"))

    assert rows[1][2] == "'=HYPERLINK(\"http://evil.example\")"
    assert rows[2][2:4] == ["'@SUM(A1)", "'-1+1"]


def test_export_without_ids_gives_another_vendor_the_same_catalogue(vendor):
    # given a varied catalogue
    ProductFactory(vendor=vendor, title="Vélo", category=category("velos"), stock=0,
                   condition=Product.Condition.FAIR, price_cents=123456, solidarity_bps=0)
    ProductFactory(vendor=vendor, title="=1+1", description="<p>Deux; trois</p><p>« quatre »</p>",
                   condition=Product.Condition.NEW, price_cents=1, stock=7, solidarity_bps=2050)
    other = VendorFactory()
    fields = ("title", "description", "category_id", "condition", "price_cents", "stock",
              "solidarity_bps")
    rows = [row[1:] for row in catalogue_export_rows(vendor=vendor)]
    data = "\r\n".join(";".join(f'"{cell}"' for cell in row) for row in rows).encode()

    # when it is imported, without its id column, by another vendor
    report = catalogue_import(vendor=other, data=data)

    # then the other vendor has an identical catalogue
    assert report.created == 2, report.errors
    exported = list(Product.objects.filter(vendor=vendor).order_by("pk").values_list(*fields))
    imported = list(Product.objects.filter(vendor=other).order_by("pk").values_list(*fields))
    assert imported == exported


# Upload form


def upload(name: str, content: bytes = b"titre;prix\n") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


def test_form_gives_the_file_content():
    form = CatalogueImportForm(data={"dry_run": "on"}, files=upload("catalogue.CSV"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"file": b"titre;prix\n", "photos": None, "dry_run": True}


def test_form_refuses_other_extensions():
    form = CatalogueImportForm(data={}, files=upload("catalogue.pdf"))

    assert not form.is_valid() and "file" in form.errors


def test_form_refuses_large_files(monkeypatch):
    monkeypatch.setattr("shop.catalogue.csv.forms.MAX_FILE_BYTES", 10)

    form = CatalogueImportForm(data={}, files=upload("catalogue.csv", b"x" * 11))

    assert form.errors["file"] == ["The file is larger than 5 MB."]

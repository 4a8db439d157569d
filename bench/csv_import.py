"""Time the catalogue import of a generated 5,000-row file (target: under 30 s), then the
round trip: the vendor's export checked back (no change expected) and the export with every
price changed, checked and imported as updates.

    DJANGO_SETTINGS_MODULE=config.settings.dev DATABASE_URL=postgres://... \
        .venv/bin/python bench/csv_import.py [--rows 5000]

Works on a dedicated vendor (slug `bench-csv-import`) whose products are deleted before and
after the run, so it can be pointed at a database that holds other data.
"""

import argparse
import csv
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from shop.catalogue.csv import (  # noqa: E402
    catalogue_export_csv,
    catalogue_export_xlsx,
    catalogue_import,
    catalogue_import_preview,
)
from shop.models import Category, Product  # noqa: E402
from vendors.models import Vendor  # noqa: E402

VENDOR_SLUG = "bench-csv-import"
CONDITIONS = ["neuf", "comme neuf", "très bon état", "bon état", "état correct"]
OBJECTS = ["Théière", "Assiette à dessert", "Pull en laine", "Vélo enfant", "Lampe de chevet",
           "Jeu de société", "Bande dessinée", "Sac en cuir", "Radio rétro", "Crêpière"]


def rows_generate(count: int) -> bytes:
    categories = list(Category.objects.values_list("slug", flat=True))
    rng = random.Random(2026)
    lines = ["titre;description;catégorie;état;prix;stock;part solidaire"]
    for number in range(count):
        title = f"{rng.choice(OBJECTS)} n°{number}"
        description = f'"Remis en état par l\'atelier ; <strong>lot {number}</strong>\nÀ retirer"'
        euros, cents = rng.randint(1, 300), rng.choice([0, 50, 90])
        lines.append(
            f"{title};{description};{rng.choice(categories)};{rng.choice(CONDITIONS)};"
            f"{euros},{cents:02d} €;{rng.randint(0, 5)};{rng.choice(['', '10', '12,5'])}"
        )
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    rows = parser.parse_args().rows

    vendor, _ = Vendor.objects.get_or_create(
        slug=VENDOR_SLUG,
        defaults={"name": "Banc d'essai import CSV", "legal_form": "association",
                  "rna": "W123456789", "email": "bench@example.org", "status": "approved"},
    )
    Product.objects.filter(vendor=vendor).delete()
    data = rows_generate(rows)
    try:
        started = time.perf_counter()
        preview = catalogue_import_preview(vendor=vendor, data=data)
        preview_seconds = time.perf_counter() - started

        started = time.perf_counter()
        report = catalogue_import(vendor=vendor, data=data)
        import_seconds = time.perf_counter() - started

        assert preview.is_valid and report.created == rows, report.errors[:5]
        assert Product.objects.filter(vendor=vendor).count() == rows
        print(f"database: {connection.vendor}, file: {rows} rows, {len(data) / 1024:.0f} KiB")
        print(f"dry run: {preview_seconds:.2f} s")
        print(f"import:  {import_seconds:.2f} s ({rows / import_seconds:.0f} rows/s)")
        round_trip(vendor, rows)
    finally:
        Product.objects.filter(vendor=vendor).delete()
        vendor.delete()


def timed(label: str, function, **kwargs):
    started = time.perf_counter()
    result = function(**kwargs)
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return result


def round_trip(vendor, rows: int) -> None:
    exported = timed("export (CSV)", catalogue_export_csv, vendor=vendor)
    workbook = timed("export (XLSX)", catalogue_export_xlsx, vendor=vendor)
    unchanged = timed("dry run of the export (CSV)", catalogue_import_preview,
                      vendor=vendor, data=exported)
    assert unchanged.unchanged == rows, unchanged.errors[:5]
    unchanged = timed("dry run of the export (XLSX)", catalogue_import_preview,
                      vendor=vendor, data=workbook)
    assert unchanged.unchanged == rows, unchanged.errors[:5]

    table = list(csv.reader(io.StringIO(exported.decode("utf-8-sig")), delimiter=";"))
    for cells in table[1:]:
        cells[6] = "999,99"
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(table)
    data = buffer.getvalue().encode("utf-8-sig")
    preview = timed("dry run, every price changed", catalogue_import_preview,
                    vendor=vendor, data=data)
    assert preview.to_update == rows, preview.errors[:5]
    report = timed("import, every price changed", catalogue_import, vendor=vendor, data=data)
    assert report.updated == rows and report.created == 0
    assert not Product.objects.filter(vendor=vendor).exclude(price_cents=99999).exists()


if __name__ == "__main__":
    main()

"""Time the catalogue CSV import of a generated 5,000-row file (target: under 30 s).

    DJANGO_SETTINGS_MODULE=config.settings.dev DATABASE_URL=postgres://... \
        .venv/bin/python bench/csv_import.py [--rows 5000]

Works on a dedicated vendor (slug `bench-csv-import`) whose products are deleted before and
after the run, so it can be pointed at a database that holds other data.
"""

import argparse
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

from shop.catalogue.csv import catalogue_import, catalogue_import_preview  # noqa: E402
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
    finally:
        Product.objects.filter(vendor=vendor).delete()
        vendor.delete()


if __name__ == "__main__":
    main()

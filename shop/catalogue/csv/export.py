"""A vendor's catalogue as a file it can edit and import back with no change: CSV (`;`,
UTF-8 with BOM, comma decimals, as French Excel opens it) or XLSX."""

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook

from shop.catalogue.models import Product, ProductImage
from vendors.models import Vendor

from . import columns as cols
from .photos import stored_name
from .text import html_to_plain

EXPORT_HEADER = [column.header for column in cols.COLUMNS]
PHOTO_SEPARATOR = " | "
BATCH = 1000


def euros_text(cents: int) -> str:
    euros, remainder = divmod(cents, 100)
    return f"{euros},{remainder:02d}"


def percent_text(bps: int) -> str:
    return f"{(Decimal(bps) / 100).normalize():f}".replace(".", ",")


def _products(vendor: Vendor) -> Iterator[tuple[Product, list[str]]]:
    """The vendor's products (and no one else's), oldest first, with their photos' names."""
    products = (
        Product.objects.filter(vendor=vendor)
        .select_related("category", "solidarity_project").order_by("pk")
    )
    batch: list[Product] = []
    for product in products.iterator(chunk_size=BATCH):
        batch.append(product)
        if len(batch) == BATCH:
            yield from _with_photos(batch)
            batch = []
    yield from _with_photos(batch)


def _with_photos(products: list[Product]):
    names: dict[int, list[str]] = {}
    photos = (
        ProductImage.objects.filter(product__in=products).select_related("image")
        .order_by("product_id", "sort_order", "pk")
    )
    for photo in photos:
        names.setdefault(photo.product_id, []).append(stored_name(photo.image))
    for product in products:
        yield product, names.get(product.pk, [])


def _cells(product: Product, photos: list[str]) -> dict:
    return {
        "id": product.pk,
        "reference": product.reference,
        "title": product.title,
        "description": html_to_plain(product.description),
        "category": product.category.slug,
        "condition": cols.CONDITION_LABELS_FR[product.condition],
        "price": product.price_cents,
        "stock": product.stock,
        "solidarity_bps": product.solidarity_bps,
        # Empty: no fixed project, the shopper chooses; an empty cell keeps it that way.
        "project": product.solidarity_project.slug if product.solidarity_project else "",
        "photos": PHOTO_SEPARATOR.join(photos),
    }


def catalogue_export_rows(*, vendor: Vendor) -> Iterator[list[str]]:
    """The header, then one row of text cells per product, in the import's format."""
    yield list(EXPORT_HEADER)
    for product, photos in _products(vendor):
        cells = _cells(product, photos)
        cells["id"] = str(cells["id"])
        cells["price"] = euros_text(cells["price"])
        cells["stock"] = str(cells["stock"])
        cells["solidarity_bps"] = percent_text(cells["solidarity_bps"])
        yield [cols.formula_guard(cells[column.key]) for column in cols.COLUMNS]


def catalogue_export_csv(*, vendor: Vendor) -> bytes:
    """The vendor's catalogue as a `;` CSV in UTF-8 with BOM, which Excel opens as is."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(catalogue_export_rows(vendor=vendor))
    return buffer.getvalue().encode("utf-8-sig")


def catalogue_export_xlsx(*, vendor: Vendor) -> bytes:
    """The same columns as a workbook: numbers as numbers (prices in euros, shares in %),
    text as text, so that no cell is ever read as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Catalogue")
    sheet.append(EXPORT_HEADER)
    for product, photos in _products(vendor):
        cells = _cells(product, photos)
        cells["price"] = Decimal(cells["price"]) / 100
        cells["solidarity_bps"] = Decimal(cells["solidarity_bps"]) / 100
        sheet.append([
            cols.formula_guard(value) if isinstance(value, str) else value
            for value in (cells[column.key] for column in cols.COLUMNS)
        ])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

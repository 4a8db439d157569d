"""Import a vendor's catalogue from CSV (checked first, all or nothing) and export it back."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from config.cache_versions import CATALOGUE, cache_version_renew
from config.db_stats import analyze_after_commit
from shop.catalogue.models import Category, Product
from shop.locking import lock_vendor
from vendors.models import Vendor

from . import columns as cols
from .reading import FileProblem, Record, table_read

SLUG_MAX_LENGTH = Product._meta.get_field("slug").max_length
BATCH_SIZE = 500
EXPORT_HEADER = [column.header for column in cols.COLUMNS]


@dataclass(frozen=True)
class ProductValues:
    """One row, read and checked, ready to become a product."""

    title: str
    description: str
    category: Category
    condition: str
    price_cents: int
    stock: int
    solidarity_bps: int

    @property
    def condition_label(self) -> str:
        return Product.Condition(self.condition).label


@dataclass
class ImportRow:
    """A data row of the file: `line` as a spreadsheet numbers it (the header is line 1)."""

    line: int
    values: ProductValues | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class LineError:
    """One problem; `line` is None for the file as a whole, `column` a column key or None."""

    line: int | None
    message: str
    column: str | None = None

    def __str__(self) -> str:
        return self.message


@dataclass
class ImportReport:
    """What an import found (and, unless a dry run, did): per-row results and all errors."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    created: int = 0

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors


def header_map(header: Record) -> tuple[dict[str, int], list[LineError]]:
    """Column key → cell index; unknown, duplicate and missing columns are file errors."""
    positions, unknown, duplicates = _header_columns(header)
    missing = [c.header for c in cols.COLUMNS if c.required and c.key not in positions]
    messages = _header_problems(unknown=unknown, duplicates=duplicates, missing=missing)
    return positions, [LineError(line=None, message=message) for message in messages]


def _header_columns(header: Record) -> tuple[dict[str, int], list[str], list[str]]:
    """Column key → cell index, and the names of the unknown and of the repeated columns."""
    aliases = {alias: column for column in cols.COLUMNS for alias in column.aliases}
    positions: dict[str, int] = {}
    unknown, duplicates = [], []
    for index, name in enumerate(header.cells):
        key = cols.header_normalise(name)
        if not key:
            continue
        column = aliases.get(key)
        if column is None:
            unknown.append(name.strip())
        elif column.key in positions:
            duplicates.append(name.strip())
        else:
            positions[column.key] = index
    return positions, unknown, duplicates


def _header_problems(*, unknown: list[str], duplicates: list[str], missing: list[str]
                     ) -> list[str]:
    errors = []
    if unknown:
        errors.append(_("Unknown columns: %(columns)s. Expected columns: %(expected)s.") % {
            "columns": ", ".join(f"« {name} »" for name in unknown),
            "expected": ", ".join(column.header for column in cols.COLUMNS),
        })
    if duplicates:
        errors.append(_("Columns given twice: %(columns)s.") % {
            "columns": ", ".join(f"« {name} »" for name in duplicates),
        })
    if missing:
        errors.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    return errors


@dataclass
class RowReader:
    """Reads data rows against the header, the categories and the vendor's default share."""

    positions: dict[str, int]
    width: int
    categories: dict[str, list[Category]]
    default_bps: int

    def read(self, record: Record) -> tuple[ImportRow, list[LineError]]:
        row = ImportRow(line=record.line)
        # Spreadsheets pad every row to the header's width, so a longer row means a value
        # holding the separator without quotes (« 12,50 » in a `,` file), and shifted columns.
        if len(record.cells) > self.width:
            message = _(
                "Line %(line)s: %(found)s values for %(expected)s columns; a value that "
                "contains the separator must be put in quotes."
            ) % {"line": record.line, "found": len(record.cells), "expected": self.width}
            row.errors.append(message)
            return row, [LineError(line=record.line, message=message)]
        raw = {
            key: cols.formula_unguard(record.cells[index].strip())
            if index < len(record.cells) else ""
            for key, index in self.positions.items()
        }
        parsers = {
            "title": cols.title_parse,
            "description": cols.description_clean,
            "category": lambda value: cols.category_parse(value, self.categories),
            "condition": cols.condition_parse,
            "price": cols.price_parse,
            "stock": cols.stock_parse,
            "solidarity_bps": lambda value: cols.share_parse(value, self.default_bps),
        }
        values, errors = {}, []
        for key, parse in parsers.items():
            try:
                values[key] = parse(raw.get(key, ""))
            except cols.CellError as exc:
                column = cols.COLUMNS_BY_KEY[key]
                message = exc.render(line=record.line, column=column)
                row.errors.append(message)
                errors.append(LineError(line=record.line, message=message, column=key))
        if not errors:
            values["price_cents"] = values.pop("price")
            row.values = ProductValues(**values)
        return row, errors


def report_build(*, vendor: Vendor, data: bytes) -> ImportReport:
    report = ImportReport()
    try:
        table = table_read(data)
    except FileProblem as problem:
        report.errors.append(LineError(line=problem.line, message=problem.message))
        return report
    positions, header_errors = header_map(table.header)
    if header_errors:
        report.errors.extend(header_errors)
        return report
    reader = RowReader(
        positions=positions, width=len(table.header.cells),
        categories=cols.categories_index(), default_bps=vendor.default_solidarity_bps,
    )
    for record in table.records:
        row, errors = reader.read(record)
        report.rows.append(row)
        report.errors.extend(errors)
    return report


def catalogue_import_preview(*, vendor: Vendor, data: bytes) -> ImportReport:
    """The dry run: reads and checks the whole file, writes nothing."""
    return report_build(vendor=vendor, data=data)


class SlugAllocator:
    """Unique slugs within one vendor's catalogue: « vase », « vase-2 », « vase-3 »…"""

    def __init__(self, taken: set[str]):
        self.taken = taken
        self.next_suffix: dict[str, int] = {}

    def allocate(self, title: str) -> str:
        base = slugify(title)[:SLUG_MAX_LENGTH].strip("-") or "produit"
        slug = base
        suffix = self.next_suffix.get(base, 1)
        while slug in self.taken:
            suffix += 1
            ending = f"-{suffix}"
            slug = base[:SLUG_MAX_LENGTH - len(ending)].rstrip("-") + ending
        self.next_suffix[base] = suffix
        self.taken.add(slug)
        return slug


@transaction.atomic
def catalogue_import(*, vendor: Vendor, data: bytes) -> ImportReport:
    """Creates every row of the file as a product of `vendor`, or none if any row is wrong."""
    report = report_build(vendor=vendor, data=data)
    if not report.is_valid:
        return report
    lock_vendor(vendor.pk)
    slugs = SlugAllocator(set(Product.objects.filter(vendor=vendor).values_list("slug", flat=True)))
    products = [
        Product(
            vendor=vendor, slug=slugs.allocate(row.values.title),
            solidarity_project_id=vendor.default_solidarity_project_id, is_active=True,
            title=row.values.title, description=row.values.description,
            category=row.values.category, condition=row.values.condition,
            price_cents=row.values.price_cents, stock=row.values.stock,
            solidarity_bps=row.values.solidarity_bps,
        )
        for row in report.rows
    ]
    Product.objects.bulk_create(products, batch_size=BATCH_SIZE)
    cache_version_renew(CATALOGUE)
    analyze_after_commit(Product._meta.db_table, rows=len(products))
    report.created = len(products)
    return report


def euros_text(cents: int) -> str:
    euros, remainder = divmod(cents, 100)
    return f"{euros},{remainder:02d}"


def percent_text(bps: int) -> str:
    return f"{(Decimal(bps) / 100).normalize():f}".replace(".", ",")


def catalogue_export_rows(*, vendor: Vendor) -> Iterator[list[str]]:
    """The header, then one row per product of `vendor` (and no one else's), oldest first."""
    yield list(EXPORT_HEADER)
    products = (
        Product.objects.filter(vendor=vendor).select_related("category").order_by("pk")
    )
    for product in products.iterator(chunk_size=1000):
        yield [
            cols.formula_guard(cell)
            for cell in (
                product.title,
                product.description,
                product.category.slug,
                cols.CONDITION_LABELS_FR[product.condition],
                euros_text(product.price_cents),
                str(product.stock),
                percent_text(product.solidarity_bps),
            )
        ]


def catalogue_export_csv(*, vendor: Vendor) -> bytes:
    """The vendor's catalogue as a `;` CSV in UTF-8 with BOM, which Excel opens as is."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(catalogue_export_rows(vendor=vendor))
    return buffer.getvalue().encode("utf-8-sig")

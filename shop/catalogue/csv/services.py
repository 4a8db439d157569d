"""Import a vendor's catalogue file: checked first, then all or nothing."""

from dataclasses import dataclass, field, replace

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shop.catalogue.models import Category, Product
from shop.locking import lock_products, lock_vendor
from vendors.models import Vendor

from . import columns as cols
from .matching import (
    CREATE,
    KEEP,
    UNCHANGED,
    UPDATE,
    ImportRow,
    ProductValues,
    photos_of,
    photos_unchanged,
    products_query,
    rows_match,
)
from .photos import ArchiveProblem, PhotoArchive, product_photos_replace
from .reading import FileProblem, Record, table_read
from .text import html_to_plain

SLUG_MAX_LENGTH = Product._meta.get_field("slug").max_length
BATCH_SIZE = 500


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
    updated: int = 0
    archive: PhotoArchive | None = field(default=None, repr=False)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def to_create(self) -> int:
        return self.count(CREATE)

    @property
    def to_update(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)


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
    """Reads data rows against the header, the categories and the projects."""

    positions: dict[str, int]
    width: int
    categories: dict[str, list[Category]]
    projects: dict

    def parsers(self) -> dict:
        parsers = {
            "product_id": ("id", cols.id_parse),
            "reference": ("reference", cols.reference_parse),
            "title": ("title", cols.title_parse),
            "description": ("description", cols.description_clean),
            "category": ("category", lambda value: cols.category_parse(value, self.categories)),
            "condition": ("condition", cols.condition_parse),
            "price_cents": ("price", cols.price_parse),
            "stock": ("stock", cols.stock_parse),
            "solidarity_bps": ("solidarity_bps", lambda value: cols.share_parse(value, None)),
            "project": ("project", lambda value: cols.project_parse(value, self.projects)),
            "photos": ("photos", cols.photos_parse),
        }
        # A column left out of the file keeps the products' values.
        return {field_name: parser for field_name, parser in parsers.items()
                if parser[0] in self.positions or cols.COLUMNS_BY_KEY[parser[0]].required}

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
        values, errors = {}, []
        for field_name, (key, parse) in self.parsers().items():
            try:
                values[field_name] = parse(raw.get(key, ""))
            except cols.CellError as exc:
                message = exc.render(line=record.line, column=cols.COLUMNS_BY_KEY[key])
                row.errors.append(message)
                errors.append(LineError(line=record.line, message=message, column=key))
        if not errors:
            row.values = ProductValues(**values)
        return row, errors


def report_build(*, vendor: Vendor, data: bytes, photos: bytes | None = None,
                 products=None) -> ImportReport:
    """Reads and checks the file and matches its rows with the vendor's products;
    `products(query)` may lock the matched products (the import does)."""
    report = ImportReport()
    try:
        table = table_read(data)
        archive = PhotoArchive.open(photos)
    except (FileProblem, ArchiveProblem) as problem:
        report.errors.append(LineError(line=getattr(problem, "line", None),
                                       message=problem.message))
        return report
    positions, header_errors = header_map(table.header)
    if header_errors:
        report.errors.extend(header_errors)
        return report
    reader = RowReader(
        positions=positions, width=len(table.header.cells),
        categories=cols.categories_index(),
        projects=cols.projects_index() if "project" in positions else {},
    )
    for record in table.records:
        row, errors = reader.read(record)
        report.rows.append(row)
        report.errors.extend(errors)
    query = products_query(vendor=vendor, rows=[row for row in report.rows if row.values])
    problems = rows_match(
        rows=report.rows, products=products(query) if products else query, archive=archive,
        with_photos="photos" in positions,
    )
    for row in report.rows:
        if row.action == CREATE:
            row.values = replace(
                row.values, description=row.values.description or "",
                solidarity_bps=(vendor.default_solidarity_bps if row.values.solidarity_bps is None
                                else row.values.solidarity_bps),
            )
    rows_by_line = {row.line: row for row in report.rows}
    for line, column, message in problems:
        rows_by_line[line].errors.append(message)
        report.errors.append(LineError(line=line, message=message, column=column))
    report.errors.sort(key=lambda error: (error.line or 0))
    report.archive = archive
    return report


def catalogue_import_preview(*, vendor: Vendor, data: bytes,
                             photos: bytes | None = None) -> ImportReport:
    """The dry run: reads and checks the whole file, says what would change, writes nothing."""
    return report_build(vendor=vendor, data=data, photos=photos)


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


def _locked(query):
    return list(lock_products(query.values_list("pk", flat=True))
                .select_related("category__parent", "solidarity_project"))


@transaction.atomic
def catalogue_import(*, vendor: Vendor, data: bytes, photos: bytes | None = None) -> ImportReport:
    """Creates the file's new products and updates the vendor's products it names, or
    changes nothing if any row is wrong."""
    lock_vendor(vendor.pk)
    report = report_build(vendor=vendor, data=data, photos=photos, products=_locked)
    if not report.is_valid:
        return report
    try:
        with transaction.atomic():
            _products_create(vendor=vendor, report=report)
            _products_update(vendor=vendor, report=report)
    except IntegrityError:
        report.created = report.updated = 0
        report.errors.append(LineError(line=None, message=_(
            "Two products of the file would get the same reference: nothing was imported."
        )))
    return report


def _products_create(*, vendor: Vendor, report: ImportReport) -> None:
    rows = [row for row in report.rows if row.action == CREATE]
    if not rows:
        return
    slugs = SlugAllocator(set(Product.objects.filter(vendor=vendor).values_list("slug", flat=True)))
    products = []
    for row in rows:
        values = row.values
        project_id = (vendor.default_solidarity_project_id if values.project is KEEP
                      else getattr(values.project, "pk", None))
        products.append(Product(
            vendor=vendor, slug=slugs.allocate(values.title), is_active=True,
            reference=values.reference or "", title=values.title,
            description=values.description or "", category=values.category,
            condition=values.condition, price_cents=values.price_cents, stock=values.stock,
            solidarity_bps=(vendor.default_solidarity_bps if values.solidarity_bps is None
                            else values.solidarity_bps),
            solidarity_project_id=project_id,
        ))
    Product.objects.bulk_create(products, batch_size=BATCH_SIZE)
    for row, product in zip(rows, products, strict=True):
        if row.values.photos:
            product_photos_replace(vendor=vendor, product=product, names=row.values.photos,
                                   current=[], archive=report.archive)
    report.created = len(products)


def _products_update(*, vendor: Vendor, report: ImportReport) -> None:
    rows = [row for row in report.rows if row.action == UPDATE]
    if not rows:
        return
    now = timezone.now()
    fields = {"updated_at"}
    for row in rows:
        fields |= _values_apply(row.product, row.values)
        row.product.updated_at = now
    Product.objects.bulk_update([row.product for row in rows], sorted(fields),
                                batch_size=BATCH_SIZE)
    current = photos_of(row.product for row in rows if row.values.photos)
    for row in rows:
        photos = current.get(row.product.pk, [])
        if row.values.photos and not photos_unchanged(row.values.photos, photos):
            product_photos_replace(vendor=vendor, product=row.product, names=row.values.photos,
                                   current=photos, archive=report.archive)
    report.updated = len(rows)


def _values_apply(product: Product, values: ProductValues) -> set[str]:
    """Sets on `product` the values the row changes; returns the names of those fields."""
    new = {
        "title": values.title, "category_id": values.category.pk,
        "condition": values.condition, "price_cents": values.price_cents, "stock": values.stock,
    }
    if values.reference:
        new["reference"] = values.reference
    if values.description is not None and (
        html_to_plain(values.description) != html_to_plain(product.description)
    ):
        new["description"] = values.description
    if values.solidarity_bps is not None:
        new["solidarity_bps"] = values.solidarity_bps
    if values.project is not KEEP:
        new["solidarity_project_id"] = getattr(values.project, "pk", None)
    changed = {name for name, value in new.items() if getattr(product, name) != value}
    for name in changed:
        setattr(product, name, new[name])
    return {name.removesuffix("_id") for name in changed}



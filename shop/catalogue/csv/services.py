"""Import a vendor's catalogue file: checked first, then all or nothing."""

from dataclasses import dataclass, field, replace

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from config.cache_versions import CATALOGUE, cache_version_renew
from config.db_stats import analyze_after_commit
from shop.catalogue.models import Product
from shop.locking import lock_products, lock_vendor
from vendors.models import Vendor

from . import columns as cols
from . import references as refs
from .matching import CREATE, UNCHANGED, UPDATE, ImportRow, products_query, rows_match
from .photos import ArchiveProblem, PhotoArchive
from .reading import FileProblem, Table, table_read
from .rows import LineError, RowReader, header_map
from .writing import products_create, products_update


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


def report_build(*, vendor: Vendor, data: bytes, photos: bytes | None = None,
                 products=None) -> ImportReport:
    """Reads and checks the file and matches its rows with the vendor's products;
    `products(query)` may lock the matched products (the import does)."""
    report = ImportReport()
    try:
        table = table_read(data)
        report.archive = PhotoArchive.open(photos)
    except (FileProblem, ArchiveProblem) as problem:
        report.errors.append(LineError(line=getattr(problem, "line", None),
                                       message=problem.message))
        return report
    positions, header_errors = header_map(table.header)
    if header_errors:
        report.errors.extend(header_errors)
        return report
    _rows_read(report, table, positions)
    query = products_query(vendor=vendor, rows=[row for row in report.rows if row.values])
    problems = rows_match(
        rows=report.rows, products=products(query) if products else query,
        archive=report.archive, with_photos="photos" in positions,
    )
    _defaults_apply(report, vendor)
    rows_by_line = {row.line: row for row in report.rows}
    for line, column, message in problems:
        rows_by_line[line].errors.append(message)
        report.errors.append(LineError(line=line, message=message, column=column))
    report.errors.sort(key=lambda error: (error.line or 0))
    return report


def _rows_read(report: ImportReport, table: Table, positions: dict[str, int]) -> None:
    reader = RowReader(
        positions=positions, width=len(table.header.cells),
        categories=cols.categories_index(),
        projects=refs.projects_index() if "project" in positions else {},
    )
    for record in table.records:
        row, errors = reader.read(record)
        report.rows.append(row)
        report.errors.extend(errors)


def _defaults_apply(report: ImportReport, vendor: Vendor) -> None:
    """A new product's empty share is the vendor's default; its missing description empty."""
    for row in rows_of(report, CREATE):
        share = row.values.solidarity_bps
        row.values = replace(
            row.values, description=row.values.description or "",
            solidarity_bps=vendor.default_solidarity_bps if share is None else share,
        )


def catalogue_import_preview(*, vendor: Vendor, data: bytes,
                             photos: bytes | None = None) -> ImportReport:
    """The dry run: reads and checks the whole file, says what would change, writes nothing."""
    return report_build(vendor=vendor, data=data, photos=photos)


def rows_of(report: ImportReport, action: str) -> list[ImportRow]:
    return [row for row in report.rows if row.action == action]


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
            report.created = products_create(
                vendor=vendor, rows=rows_of(report, CREATE), archive=report.archive)
            report.updated = products_update(
                vendor=vendor, rows=rows_of(report, UPDATE), archive=report.archive)
    except IntegrityError:
        report.created = report.updated = 0
        report.errors.append(LineError(line=None, message=_(
            "Two products of the file would get the same reference: nothing was imported."
        )))
    cache_version_renew(CATALOGUE)
    analyze_after_commit(Product._meta.db_table, rows=report.created + report.updated)
    return report



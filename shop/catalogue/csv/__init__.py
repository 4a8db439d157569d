"""Catalogue import and export for vendors.

The file format is the one French spreadsheets write: a header row, `;`, `,` or tab
separators, UTF-8, Windows-1252 or UTF-16, or an XLSX workbook; prices such as « 12,50 ».
Rows name the vendor's products by id or reference, so a file exported, edited and imported
back updates them. Import is all-or-nothing; a dry run gives the same line-numbered report,
with what would be created or changed, without writing anything.
"""

from .export import (
    EXPORT_HEADER,
    catalogue_export_csv,
    catalogue_export_rows,
    catalogue_export_xlsx,
)
from .matching import CREATE, UNCHANGED, UPDATE, Change, ImportRow, ProductValues
from .reading import MAX_FILE_BYTES, MAX_ROWS
from .services import ImportReport, LineError, catalogue_import, catalogue_import_preview

__all__ = [
    "CREATE",
    "EXPORT_HEADER",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "UNCHANGED",
    "UPDATE",
    "Change",
    "ImportReport",
    "ImportRow",
    "LineError",
    "ProductValues",
    "catalogue_export_csv",
    "catalogue_export_rows",
    "catalogue_export_xlsx",
    "catalogue_import",
    "catalogue_import_preview",
]

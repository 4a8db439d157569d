"""Catalogue CSV import and export for vendors.

The file format is the one French spreadsheets write: a header row, `;` or `,` separators,
UTF-8 or Windows-1252, prices such as « 12,50 ». Import is all-or-nothing; a dry run gives
the same line-numbered report without writing anything.
"""

from .reading import MAX_FILE_BYTES, MAX_ROWS
from .services import (
    EXPORT_HEADER,
    ImportReport,
    ImportRow,
    LineError,
    ProductValues,
    catalogue_export_csv,
    catalogue_export_rows,
    catalogue_import,
    catalogue_import_preview,
)

__all__ = [
    "EXPORT_HEADER",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ImportReport",
    "ImportRow",
    "LineError",
    "ProductValues",
    "catalogue_export_csv",
    "catalogue_export_rows",
    "catalogue_import",
    "catalogue_import_preview",
]

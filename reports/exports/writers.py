"""CSV and XLSX writers of an export table. The CSV is what French Excel and LibreOffice
open without an import dialog: UTF-8 with a byte order mark, `;` between fields, comma
decimals, dates as dd/mm/yyyy. The XLSX holds real numbers (euros with a euro format)
and real dates. Both end with a total row of the amounts."""

import csv
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .rows import Table, Type

PROGRESS_EVERY = 1000
EURO_FORMAT = '#,##0.00\\ "€";\\-#,##0.00\\ "€"'
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

Progress = Callable[[int], None]


def csv_cents(cents: int) -> str:
    """1250 → '12,50'; -5 → '-0,05'."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros},{rest:02d}"


def local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment else None


def _csv_value(value, column_type: Type) -> str:
    if value is None:
        return ""
    if column_type is Type.CENTS:
        return csv_cents(value)
    if column_type is Type.DATETIME:
        return local(value).strftime("%d/%m/%Y %H:%M")
    return str(value)


def _totals_row(table: Table, totals: dict[int, int]) -> list:
    row = [None] * len(table.columns)
    row[0] = _("Total")
    for index, amount in totals.items():
        row[index] = amount
    return row


def _rows_with_progress(table: Table, progress: Progress):
    """The table's rows, calling `progress(rows written)` every so often; then its total
    row (the sum of each amount column)."""
    money = [index for index, column in enumerate(table.columns) if column.type is Type.CENTS]
    totals = dict.fromkeys(money, 0)
    written = 0
    for row in table.rows:
        for index in money:
            totals[index] += row[index]
        yield row
        written += 1
        if written % PROGRESS_EVERY == 0:
            progress(written)
    yield _totals_row(table, totals)
    progress(written)


def write_csv(table: Table, path: str, progress: Progress) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([column.label for column in table.columns])
        for row in _rows_with_progress(table, progress):
            writer.writerow([_csv_value(value, column.type)
                             for value, column in zip(row, table.columns, strict=True)])


def _xlsx_value(value, column_type: Type):
    if value is None:
        return None
    if column_type is Type.CENTS:
        return Decimal(value) / 100
    if column_type is Type.DATETIME:
        return local(value).replace(tzinfo=None)
    return value


def write_xlsx(table: Table, path: str, progress: Progress) -> None:
    """A write-only workbook: rows go to disk as they come."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Export"))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, column.label, bold) for column in table.columns])
    formats = {Type.CENTS: EURO_FORMAT, Type.DATETIME: DATETIME_FORMAT}
    for row in _rows_with_progress(table, progress):
        cells = []
        for value, column in zip(row, table.columns, strict=True):
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value, column.type))
            if column.type in formats:
                cell.number_format = formats[column.type]
            cells.append(cell)
        sheet.append(cells)
    workbook.save(path)


def _header_cell(sheet, label: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=label)
    cell.font = font
    return cell


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}

"""From uploaded bytes to a header and numbered records, or a file-level problem.

Accepted: CSV in UTF-8 (with or without BOM) or Windows-1252, Excel's « Texte Unicode »
(tab-separated UTF-16 with BOM), and XLSX workbooks (first sheet).
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
DELIMITERS = (";", ",", "\t")

ZIP_SIGNATURE = b"PK\x03\x04"
# OLE: an Excel 97-2003 workbook (.xls), which we do not read.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Text never holds these; after a Windows-1252 decoding they betray a binary or UTF-16 file.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FileProblem(Exception):
    """The file as a whole cannot be read; `line` is set when one record breaks it."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Record:
    line: int
    cells: list[str]


@dataclass
class Table:
    header: Record
    records: list[Record]


def unreadable() -> FileProblem:
    return FileProblem(
        _("The file is not a readable CSV file (UTF-8, Windows-1252 or UTF-16 encoding "
          "expected).")
    )


def file_decode(data: bytes) -> str:
    """UTF-16 when it has a BOM (Excel's « Texte Unicode »), else UTF-8 (with or without
    BOM), then Windows-1252, as French spreadsheets write."""
    if data.startswith(OLE_SIGNATURE) or data.startswith(ZIP_SIGNATURE):
        raise FileProblem(
            _("This workbook cannot be read: save it as an Excel workbook (.xlsx) "
              "or in the CSV format.")
        )
    if data.startswith(UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise unreadable() from None
        if CONTROL_CHARACTERS.search(text):
            raise unreadable()
        return text
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if data.startswith(codecs.BOM_UTF8):
            raise unreadable() from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise unreadable() from None
    if CONTROL_CHARACTERS.search(text):
        raise unreadable()
    return text


def delimiter_sniff(text: str) -> str:
    """The separator used most often, outside quotes, on the header line (`;` on a tie)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    in_quotes = False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in "\r\n":
            break
        elif not in_quotes and char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=lambda delimiter: counts[delimiter])


def is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def cell_text(value, number_format: str = "") -> str:
    """A workbook cell as the text a CSV export would hold: « 12.5 », « 10 » for 10 %."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if "%" in number_format:
            number *= 100
        if number == number.to_integral_value():
            return str(number.quantize(Decimal(1)))
        return f"{number.normalize():f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _number_format(cell) -> str:
    # Reading a cell's style is slow in a read-only sheet: only numbers need it (for « % »).
    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
        return getattr(cell, "number_format", "") or ""
    return ""


def workbook_rows(data: bytes) -> list[list[str]]:
    """The first sheet's rows as lists of text; a file problem if it is no XLSX workbook."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            rows = [
                [cell_text(cell.value, _number_format(cell)) for cell in row]
                for row in workbook.worksheets[0].iter_rows()
            ]
        finally:
            workbook.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError, OSError,
            ValueError, TypeError, ElementTree.ParseError) as exc:
        raise FileProblem(
            _("This workbook cannot be read: save it as an Excel workbook (.xlsx) "
              "or in the CSV format.")
        ) from exc
    for cells in rows:
        while cells and cells[-1] == "":
            cells.pop()
    return rows


def table_read(data: bytes) -> Table:
    """Header and non-blank records, numbered as a spreadsheet shows them (header = line 1)."""
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(too_large_message())
    if data.startswith(ZIP_SIGNATURE):
        return records_collect(workbook_rows(data))
    text = file_decode(data)
    if not text.strip():
        raise FileProblem(_("The file is empty."))
    # skipinitialspace: hand-edited files put a space after the separator, before a quote.
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter_sniff(text), skipinitialspace=True
    )
    return records_collect(reader)


def records_collect(reader) -> Table:
    header = None
    records = []
    line = 0
    try:
        for line, cells in enumerate(reader, start=1):
            if is_blank(cells):
                continue
            if header is None:
                header = Record(line, cells)
                continue
            if len(records) == MAX_ROWS:
                raise FileProblem(
                    _("The file has more than %(limit)s product rows: split it into "
                      "several files.") % {"limit": number_format(MAX_ROWS, force_grouping=True)}
                )
            records.append(Record(line, cells))
    except csv.Error as exc:
        raise FileProblem(
            _("Line %(line)s: the file cannot be read as CSV (%(detail)s).")
            % {"line": line + 1, "detail": exc},
            line=line + 1,
        ) from exc
    if header is None:
        raise FileProblem(_("The file is empty."))
    if not records:
        raise FileProblem(_("The file has a header row but no product rows."))
    return Table(header=header, records=records)


def too_large_message() -> str:
    return _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)}

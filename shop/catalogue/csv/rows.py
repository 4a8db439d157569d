"""From a file's header and records to checked rows, each with its line-numbered errors."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from shop.catalogue.models import Category

from . import columns as cols
from . import references as refs
from .matching import ImportRow, ProductValues
from .reading import Record


@dataclass
class LineError:
    """One problem; `line` is None for the file as a whole, `column` a column key or None."""

    line: int | None
    message: str
    column: str | None = None

    def __str__(self) -> str:
        return self.message


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

    def __post_init__(self):
        self.parsers = self._parsers()

    def _parsers(self) -> dict:
        parsers = {
            "product_id": ("id", refs.id_parse),
            "reference": ("reference", refs.reference_parse),
            "title": ("title", cols.title_parse),
            "description": ("description", cols.description_clean),
            "category": ("category", lambda value: cols.category_parse(value, self.categories)),
            "condition": ("condition", cols.condition_parse),
            "price_cents": ("price", cols.price_parse),
            "stock": ("stock", cols.stock_parse),
            "solidarity_bps": ("solidarity_bps", lambda value: cols.share_parse(value, None)),
            "project": ("project", lambda value: refs.project_parse(value, self.projects)),
            "photos": ("photos", refs.photos_parse),
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
        for field_name, (key, parse) in self.parsers.items():
            try:
                values[field_name] = parse(raw.get(key, ""))
            except cols.CellError as exc:
                message = exc.render(line=record.line, column=cols.COLUMNS_BY_KEY[key])
                row.errors.append(message)
                errors.append(LineError(line=record.line, message=message, column=key))
        if not errors:
            row.values = ProductValues(**values)
        return row, errors

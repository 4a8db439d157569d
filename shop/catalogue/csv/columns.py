"""The columns of a catalogue file and how each cell is read."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from html import escape

import nh3
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shop.catalogue.models import Category, Product
from shop.money import parse_euros

TITLE_MAX_LENGTH = Product._meta.get_field("title").max_length
DESCRIPTION_MAX_LENGTH = 20_000
# Far above any second-hand or solidarity product, and inside the column's range.
MAX_PRICE_CENTS = 100_000_000
MAX_STOCK = 1_000_000
DESCRIPTION_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a"}
BLOCK_TAGS = re.compile(r"<(p|ul|ol)[\s>]", re.IGNORECASE)
HTML_TAG = re.compile(r"</?[a-zA-Z!][^>]*>")
NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
# Spreadsheets run cells starting with these as formulas; export prefixes them with « ' ».
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CONDITION_LABELS_FR = {
    Product.Condition.NEW: "neuf",
    Product.Condition.LIKE_NEW: "comme neuf",
    Product.Condition.VERY_GOOD: "très bon état",
    Product.Condition.GOOD: "bon état",
    Product.Condition.FAIR: "état correct",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    header: str
    aliases: tuple[str, ...]
    required: bool = True


COLUMNS = (
    Column("id", pgettext_lazy("CSV column", "id"), "id", ("id", "identifiant"), required=False),
    Column("reference", pgettext_lazy("CSV column", "reference"), "référence",
           ("reference", "ref", "sku"), required=False),
    Column("title", pgettext_lazy("CSV column", "title"), "titre", ("titre", "title")),
    Column("description", pgettext_lazy("CSV column", "description"), "description",
           ("description",), required=False),
    Column("category", pgettext_lazy("CSV column", "category"), "catégorie",
           ("categorie", "category")),
    Column("condition", pgettext_lazy("CSV column", "condition"), "état", ("etat", "condition")),
    Column("price", pgettext_lazy("CSV column", "price"), "prix", ("prix", "price")),
    Column("stock", pgettext_lazy("CSV column", "stock"), "stock",
           ("stock", "quantite", "quantity")),
    Column("solidarity_bps", pgettext_lazy("CSV column", "solidarity share"), "part solidaire",
           ("part solidaire", "solidarity share"), required=False),
    Column("project", pgettext_lazy("CSV column", "solidarity project"), "projet solidaire",
           ("projet solidaire", "projet", "solidarity project", "project"), required=False),
    Column("photos", pgettext_lazy("CSV column", "photos"), "photos",
           ("photos", "photo", "images"), required=False),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}


class CellError(ValueError):
    """A cell's value is wrong; `message` has %(line)s and %(column)s placeholders."""

    def __init__(self, message: Promise, **params):
        super().__init__(str(message))
        self.message = message
        self.params = params

    def render(self, *, line: int, column: Column) -> str:
        return str(self.message) % {"line": line, "column": column.label, **self.params}


def normalise(text: str) -> str:
    """Case, accents, underscores, hyphens and spacing do not count: « Part_Solidaire »."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().replace("_", " ").replace("-", " ").split())


def header_normalise(text: str) -> str:
    """Also drops units a spreadsheet user may add: « Prix (€) », « Part solidaire % »."""
    return normalise(re.sub(r"\(.*?\)|[€%]", " ", text))


def shown(value: str) -> str:
    return value if len(value) <= 40 else f"{value[:39]}…"


def formula_unguard(value: str) -> str:
    """Undo the apostrophe the export puts before formula-like cells."""
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def formula_guard(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def title_parse(value: str) -> str:
    title = " ".join(value.split())
    if not title:
        raise CellError(_("Line %(line)s, %(column)s: this value is required."))
    if len(title) > TITLE_MAX_LENGTH:
        raise CellError(
            _("Line %(line)s, %(column)s: the title is longer than %(max)s characters."),
            max=TITLE_MAX_LENGTH,
        )
    return title


def description_clean(value: str) -> str:
    """Simple HTML is sanitised; plain text is escaped, one paragraph per line."""
    if len(value) > DESCRIPTION_MAX_LENGTH:
        raise CellError(
            _("Line %(line)s, %(column)s: the description is longer than %(max)s characters."),
            max=number_format(DESCRIPTION_MAX_LENGTH, force_grouping=True),
        )
    if not HTML_TAG.search(value):
        lines = (line.strip() for line in value.splitlines())
        return "".join(f"<p>{escape(line, quote=False)}</p>" for line in lines if line)
    html = nh3.clean(
        value, tags=DESCRIPTION_TAGS, attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"}, link_rel=None,
    ).strip()
    if html and not BLOCK_TAGS.search(html):
        html = f"<p>{html}</p>"
    return html


def category_parse(value: str, categories: dict[str, list[Category]]) -> Category:
    if not value:
        raise CellError(_("Line %(line)s, %(column)s: this value is required."))
    matches = categories.get(normalise(value), [])
    if not matches:
        raise CellError(
            _("Line %(line)s, %(column)s: unknown category “%(value)s”."), value=shown(value)
        )
    if len(matches) > 1:
        raise CellError(
            _("Line %(line)s, %(column)s: “%(value)s” names several categories; "
              "use the category's identifier instead."),
            value=shown(value),
        )
    return matches[0]


def categories_index() -> dict[str, list[Category]]:
    """Every category under its slug, its name and « Parent › Name », normalised."""
    index: dict[str, list[Category]] = {}
    for category in Category.objects.select_related("parent"):
        keys = {normalise(category.slug), normalise(category.name)}
        if category.parent_id:
            keys |= {normalise(f"{category.parent.name} {sep} {category.name}") for sep in "›>"}
        for key in keys:
            index.setdefault(key, []).append(category)
    return index


CONDITION_LABELS_EN = {
    Product.Condition.NEW: "new",
    Product.Condition.LIKE_NEW: "like new",
    Product.Condition.VERY_GOOD: "very good condition",
    Product.Condition.GOOD: "good condition",
    Product.Condition.FAIR: "fair condition",
}
CONDITIONS = {
    normalise(name): code
    for code in Product.Condition
    for name in (code.value, CONDITION_LABELS_EN[code], CONDITION_LABELS_FR[code])
}


def condition_parse(value: str) -> str:
    if not value:
        raise CellError(_("Line %(line)s, %(column)s: this value is required."))
    try:
        return CONDITIONS[normalise(value)]
    except KeyError:
        raise CellError(
            _("Line %(line)s, %(column)s: unknown condition “%(value)s” (expected: %(choices)s)."),
            value=shown(value), choices=", ".join(CONDITION_LABELS_FR.values()),
        ) from None


def price_parse(value: str) -> int:
    if not value:
        raise CellError(_("Line %(line)s, %(column)s: this value is required."))
    compact = "".join(value.replace("€", "").split())
    try:
        if not NUMBER.match(compact):
            raise ValueError(value)
        cents = parse_euros(compact)
    except ValueError:
        raise CellError(
            _("Line %(line)s, %(column)s: “%(value)s” is not a valid amount."), value=shown(value)
        ) from None
    if cents < 1:
        raise CellError(_("Line %(line)s, %(column)s: the price must be at least €0.01."))
    if cents > MAX_PRICE_CENTS:
        raise CellError(_("Line %(line)s, %(column)s: the price must be below €1,000,000."))
    return cents


def number_parse(value: str) -> Decimal | None:
    compact = "".join(value.split())
    if not NUMBER.match(compact):
        return None
    try:
        return Decimal(compact.replace(",", "."))
    except InvalidOperation:
        return None


def stock_parse(value: str) -> int:
    if not value:
        raise CellError(_("Line %(line)s, %(column)s: this value is required."))
    number = number_parse(value)
    if number is None or number != number.to_integral_value():
        raise CellError(
            _("Line %(line)s, %(column)s: “%(value)s” is not a whole number of items."),
            value=shown(value),
        )
    if number < 0:
        raise CellError(_("Line %(line)s, %(column)s: the stock cannot be negative."))
    if number > MAX_STOCK:
        raise CellError(
            _("Line %(line)s, %(column)s: the stock must be at most %(max)s."),
            max=number_format(MAX_STOCK, force_grouping=True),
        )
    return int(number)


def share_parse(value: str, default_bps: int) -> int:
    """A percentage (« 20 », « 12,5 % ») as basis points; empty is the vendor's default."""
    if not value:
        return default_bps
    number = number_parse(value.replace("%", ""))
    basis_points = None if number is None else number * 100
    if basis_points is None or basis_points != basis_points.to_integral_value():
        raise CellError(
            _("Line %(line)s, %(column)s: “%(value)s” is not a valid percentage."),
            value=shown(value),
        )
    if not 0 <= basis_points <= 10000:
        raise CellError(_("Line %(line)s, %(column)s: the share must be between 0 and 100 %%."))
    return int(basis_points)


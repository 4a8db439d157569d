"""Which product each row of a catalogue file is, and what importing it would change.

A row names its product by our id or by the vendor's own reference, both looked up in the
vendor's catalogue only; a row naming neither, or a reference the vendor does not use yet,
is a new product. A column left out of the file, or an empty share, project or photos cell,
leaves the product's value as it is.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shop.catalogue.models import Category, Product, ProductImage
from shop.money import format_bps_percent, format_cents

from .photos import PhotoArchive, stored_name
from .text import html_to_plain

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
KEEP = ""  # an empty project cell: keep the product's project (the vendor's, for a new one)


@dataclass(frozen=True)
class ProductValues:
    """One row, read and checked. None (or KEEP for the project) means « as it is »."""

    title: str
    category: Category
    condition: str
    price_cents: int
    stock: int
    description: str | None = None
    solidarity_bps: int | None = None
    product_id: int | None = None
    reference: str | None = None
    project: object = KEEP
    photos: tuple[str, ...] = ()

    @property
    def condition_label(self) -> str:
        return Product.Condition(self.condition).label


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class ImportRow:
    """A data row of the file: `line` as a spreadsheet numbers it (the header is line 1)."""

    line: int
    values: ProductValues | None = None
    errors: list[str] = field(default_factory=list)
    action: str | None = None
    product: Product | None = None
    changes: list[Change] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def shortened(text: str, length: int = 60) -> str:
    text = " / ".join(text.splitlines())
    return text if len(text) <= length else f"{text[:length - 1]}…"


def project_text(project) -> str:
    return project.title if project is not None else _("chosen by the shopper")


def products_query(*, vendor, rows: Iterable[ImportRow]):
    """The vendor's products the rows name, by id or reference (one query when evaluated)."""
    ids = {row.values.product_id for row in rows if row.values.product_id}
    references = {row.values.reference for row in rows if row.values.reference}
    return (
        Product.objects.filter(vendor=vendor)
        .filter(Q(pk__in=ids) | Q(reference__in=references))
        .select_related("category__parent", "solidarity_project")
    )


def photos_of(products: Iterable[Product]) -> dict[int, list[ProductImage]]:
    photos: dict[int, list[ProductImage]] = {}
    images = (
        ProductImage.objects.filter(product__in=[product.pk for product in products])
        .select_related("image").order_by("product_id", "sort_order", "pk")
    )
    for photo in images:
        photos.setdefault(photo.product_id, []).append(photo)
    return photos


def photos_unchanged(names: tuple[str, ...], current: list[ProductImage]) -> bool:
    return len(names) == len(current) and all(
        name.casefold() in {stored_name(photo.image).casefold(), photo.image.title.casefold()}
        for name, photo in zip(names, current, strict=True)
    )


def product_changes(product: Product, values: ProductValues,
                    current_photos: list[ProductImage]) -> list[Change]:
    """Field by field, what the row would change on `product`, as « old → new » texts."""
    changes = []

    def compare(label, old, new, show: Callable = str):
        if old != new:
            changes.append(Change(str(label), show(old), show(new)))

    compare(_("Title"), product.title, values.title)
    if values.reference:
        compare(_("Reference"), product.reference, values.reference)
    if values.description is not None:
        compare(_("Description"), html_to_plain(product.description),
                html_to_plain(values.description), shortened)
    if product.category_id != values.category.pk:
        changes.append(Change(_("Category"), str(product.category), str(values.category)))
    if product.condition != values.condition:
        changes.append(Change(_("Condition"), product.get_condition_display(),
                              values.condition_label))
    language = get_language() or "fr"
    compare(_("Price"), product.price_cents, values.price_cents,
            lambda cents: format_cents(cents, language))
    compare(_("Stock"), product.stock, values.stock)
    if values.solidarity_bps is not None:
        compare(_("Solidarity share"), product.solidarity_bps, values.solidarity_bps,
                lambda bps: format_bps_percent(bps, language))
    changes += _links_changes(product, values, current_photos)
    return changes


def _links_changes(product: Product, values: ProductValues,
                   current_photos: list[ProductImage]) -> list[Change]:
    changes = []
    if values.project is not KEEP and product.solidarity_project_id != getattr(
        values.project, "pk", None
    ):
        changes.append(Change(_("Solidarity project"), project_text(product.solidarity_project),
                              project_text(values.project)))
    if values.photos and not photos_unchanged(values.photos, current_photos):
        changes.append(Change(
            _("Photos"), ", ".join(stored_name(photo.image) for photo in current_photos) or "—",
            ", ".join(values.photos),
        ))
    return changes


def photo_problems(names: tuple[str, ...], current: list[ProductImage],
                   archive: PhotoArchive) -> list[str]:
    """Messages for the names that are neither a photo of the product nor a good image in
    the ZIP file."""
    known = {key for photo in current
             for key in (stored_name(photo.image).casefold(), photo.image.title.casefold())}
    problems = []
    for name in names:
        if name.casefold() in known:
            continue
        content = archive.image(name)
        if not isinstance(content, bytes):
            problems.append(content)
    return problems


def rows_match(*, rows: list[ImportRow], products: Iterable[Product], archive: PhotoArchive,
               with_photos: bool) -> list[tuple[int, str | None, str]]:
    """Sets each valid row's product, action and changes; returns (line, column, message)
    for the rows that cannot be matched."""
    by_pk = {product.pk: product for product in products}
    matcher = _Matcher(
        by_pk=by_pk,
        by_reference={product.reference: product for product in by_pk.values()
                      if product.reference},
        photos=photos_of(by_pk.values()) if with_photos else {},
        archive=archive,
    )
    problems = []
    for row in rows:
        if row.is_valid:
            problems += matcher.match(row)
    return problems


@dataclass
class _Matcher:
    by_pk: dict[int, Product]
    by_reference: dict[str, Product]
    photos: dict[int, list[ProductImage]]
    archive: PhotoArchive
    seen: dict[tuple, int] = field(default_factory=dict)

    def match(self, row: ImportRow) -> list[tuple[int, str | None, str]]:
        values = row.values
        product, problem = _row_product(values, row.line, self.by_pk, self.by_reference)
        if problem:
            return [(row.line, *problem)]
        problem = self._repeated(row, product)
        if problem:
            return [problem]
        current = self.photos.get(product.pk, []) if product else []
        problems = [
            (row.line, "photos", _("Line %(line)s, photos: %(problem)s")
             % {"line": row.line, "problem": message})
            for message in photo_problems(values.photos, current, self.archive)
        ]
        row.product = product
        if product is None:
            row.action = CREATE
        else:
            row.changes = product_changes(product, values, current)
            row.action = UPDATE if row.changes else UNCHANGED
        return problems

    def _repeated(self, row: ImportRow, product: Product | None):
        """A problem when the row's product, or the reference it would have, came before."""
        reference = row.values.reference or (product.reference if product else "")
        keys = [key for key in (("pk", product and product.pk), ("reference", reference))
                if key[1]]
        first = next((self.seen[key] for key in keys if key in self.seen), None)
        if first is not None:
            return (row.line, None, _("Line %(line)s: this product, or its reference, is "
                                      "already on line %(first)s.")
                    % {"line": row.line, "first": first})
        self.seen.update(dict.fromkeys(keys, row.line))
        return None


def _row_product(values: ProductValues, line: int, by_pk: dict, by_reference: dict):
    """The vendor's product the row names (None for a new one), or (column, message)."""
    if values.product_id:
        product = by_pk.get(values.product_id)
        if product is None:
            return None, ("id", _("Line %(line)s, id: none of your products has the id "
                                  "%(id)s; leave the id empty to add a new product.")
                          % {"line": line, "id": values.product_id})
        other = by_reference.get(values.reference) if values.reference else None
        if other is not None and other.pk != product.pk:
            return None, ("reference", _("Line %(line)s, reference: “%(reference)s” is "
                                         "already the reference of your product %(other)s.")
                          % {"line": line, "reference": values.reference, "other": other.pk})
        return product, None
    return (by_reference.get(values.reference) if values.reference else None), None

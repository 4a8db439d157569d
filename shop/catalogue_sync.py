"""A vendor's own tool writing to its catalogue (the write API): products created and
updated by our id or by the vendor's reference, stocks set, many at a time.

All or nothing: if one item is wrong nothing is written and every wrong one is reported.
Stocks are set under the row locks (`shop.locking`, after the vendor's), so none slips
between a reservation and its payment: a stock below the units held in baskets being paid
is refused, as is one that changed since the tool read it when it says what it expects."""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.cache_versions import CATALOGUE, cache_version_renew
from config.rich_text import plain_text_html
from shop.catalogue.csv.writing import SlugAllocator
from shop.catalogue.models import Category, Product
from shop.checkout.selectors import reserved_by_others
from shop.locking import lock_products, lock_vendor
from vendors.models import Vendor

BATCH_SIZE = 500
# The fields a tool may set, as the product stores them (description is turned into
# paragraphs, category is given by its slug).
WRITABLE = (
    "reference", "title", "description", "category", "condition", "price_cents", "stock",
    "weight_grams", "is_active", "solidarity_bps",
)
REQUIRED_TO_CREATE = ("title", "category", "price_cents")
# Kept by database triggers, never written here, and the heaviest columns of a product.
SEARCH_COLUMNS = ("search_vector", "search_text")


@dataclass(frozen=True)
class ProductChange:
    """One item as the tool sends it, types and ranges already checked. None: unchanged
    (or the default, for a new product)."""

    id: int | None = None
    reference: str | None = None
    title: str | None = None
    description: str | None = None
    category: str | None = None
    condition: str | None = None
    price_cents: int | None = None
    stock: int | None = None
    expected_stock: int | None = None
    weight_grams: int | None = None
    is_active: bool | None = None
    solidarity_bps: int | None = None


@dataclass(frozen=True)
class ItemError:
    index: int
    field: str | None
    code: str
    message: str


@dataclass(frozen=True)
class ItemResult:
    index: int
    product: Product
    status: str  # created, updated, unchanged


class CatalogueWriteRefused(Exception):
    """Nothing was written: `errors` says which items are wrong and why."""

    def __init__(self, errors: list[ItemError], *, not_found: bool = False):
        super().__init__(errors)
        self.errors = errors
        # Every error is an unknown product: a single-product call answers 404.
        self.not_found = not_found


@dataclass
class _Batch:
    vendor: Vendor
    changes: list[ProductChange]
    allow_create: bool
    errors: list[ItemError] = field(default_factory=list)

    def refuse(self, index: int, name: str | None, code: str, message: str) -> None:
        self.errors.append(ItemError(index, name, code, message))


@transaction.atomic
def catalogue_products_write(
    *, vendor: Vendor, changes: list[ProductChange], allow_create: bool = True, now=None
) -> list[ItemResult]:
    """Create or update the vendor's products, one per change, in order; all or nothing
    (raises `CatalogueWriteRefused`). A change names its product by `id`, or by
    `reference` (created when no product of the vendor has it, if `allow_create`)."""
    now = now or timezone.now()
    batch = _Batch(vendor=vendor, changes=changes, allow_create=allow_create)
    lock_vendor(vendor.pk)
    targets = _targets(batch)
    categories = _categories(batch)
    existing_ids = [pk for pk in targets if pk is not None]
    products = {
        p.pk: p
        for p in lock_products(existing_ids).filter(vendor=vendor).defer(*SEARCH_COLUMNS)
    }
    held = reserved_by_others(product_ids=list(products), now=now) if products else {}
    plan = _Plan()
    for index, (change, pk) in enumerate(zip(changes, targets, strict=True)):
        if pk is not None:
            _plan_update(batch, plan, index, change, products.get(pk), pk, categories, held)
        elif change.reference:  # without one, `_targets` refused it: it names no product
            _plan_creation(batch, plan, index, change, categories)
    if batch.errors:
        raise CatalogueWriteRefused(
            batch.errors, not_found=all(error.code == "not_found" for error in batch.errors)
        )
    _plan_write(plan, vendor=vendor, now=now)
    cache_version_renew(CATALOGUE)  # bulk writes skip `Product.save()`
    return sorted(plan.results, key=lambda result: result.index)


def _plan_write(plan, *, vendor: Vendor, now) -> None:
    if plan.updated:
        for product in plan.updated:
            product.updated_at = now
        _save_changes(plan.updated, sorted(plan.changed_fields | {"updated_at"}))
    if plan.created:
        _allocate_slugs(vendor, plan.created)
        Product.objects.bulk_create(plan.created, batch_size=BATCH_SIZE)


@dataclass
class _Plan:
    results: list[ItemResult] = field(default_factory=list)
    updated: list[Product] = field(default_factory=list)
    created: list[Product] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)


def _plan_update(batch, plan, index, change, product, pk, categories, held) -> None:
    if product is None:
        batch.refuse(index, "id", "not_found",
                     _("No product #%(id)s in your catalogue.") % {"id": pk})
        return
    names = _apply(batch, index, change, product, categories, held)
    if names:
        plan.changed_fields |= names
        plan.updated.append(product)
    plan.results.append(ItemResult(index, product, "updated" if names else "unchanged"))


def _plan_creation(batch, plan, index, change, categories) -> None:
    product = _new_product(batch, index, change, categories)
    if product is not None:
        plan.created.append(product)
        plan.results.append(ItemResult(index, product, "created"))


def _targets(batch: _Batch) -> list[int | None]:
    """The product each change is about (None: a new one), after checking that no product
    or reference appears twice and that a reference is not someone else's."""
    references = {c.reference for c in batch.changes if c.reference}
    owners = dict(
        Product.objects.filter(vendor=batch.vendor, reference__in=references)
        .values_list("reference", "pk")
    ) if references else {}
    targets, seen_ids, seen_refs = [], set(), set()
    for index, change in enumerate(batch.changes):
        pk = change.id if change.id is not None else owners.get(change.reference)
        _check_identity(batch, index, change, owners)
        if pk is not None and pk in seen_ids or change.reference and change.reference in seen_refs:
            batch.refuse(index, None, "duplicate",
                         _("This product appears twice in the request."))
        seen_ids.add(pk)
        seen_refs.add(change.reference)
        targets.append(pk)
    return targets


def _check_identity(batch, index, change, owners) -> None:
    """A change names a product, and does not give it a reference another product has."""
    if change.id is None and not change.reference:
        batch.refuse(index, None, "no_identifier",
                     _("Give the product's id or your reference for it."))
    owner = owners.get(change.reference)
    if change.id is not None and owner not in (None, change.id):
        batch.refuse(index, "reference", "reference_taken", _(
            "The reference « %(reference)s » is already that of product #%(id)s."
        ) % {"reference": change.reference, "id": owner})


def _categories(batch: _Batch) -> dict[str, Category]:
    slugs = {c.category for c in batch.changes if c.category}
    found = {c.slug: c for c in Category.objects.filter(slug__in=slugs)} if slugs else {}
    for index, change in enumerate(batch.changes):
        if change.category and change.category not in found:
            batch.refuse(index, "category", "unknown_category", _(
                "Unknown category « %(slug)s »: see /api/v1/vendor/categories."
            ) % {"slug": change.category})
    return found


def _values(change: ProductChange, categories: dict[str, Category]) -> dict:
    """The product fields this change sets."""
    values = {}
    for name in WRITABLE:
        value = getattr(change, name)
        if value is None:
            continue
        if name == "description":
            value = plain_text_html(value)
        elif name == "category":
            value = categories.get(value)
            if value is None:
                continue
        elif name in ("reference", "title"):
            value = value.strip()
        values[name] = value
    return values


def _apply(batch, index, change, product, categories, held) -> set[str]:
    """Set the change on `product` (locked); returns the names of the fields it changed."""
    if change.expected_stock is not None and change.expected_stock != product.stock:
        batch.refuse(index, "expected_stock", "stock_changed", _(
            "The stock is now %(stock)s, not %(expected)s: read it again before setting it."
        ) % {"stock": product.stock, "expected": change.expected_stock})
        return set()
    values = _values(change, categories)
    units_held = held.get(product.pk, 0)
    if "stock" in values and values["stock"] != product.stock and values["stock"] < units_held:
        batch.refuse(index, "stock", "stock_below_reserved", _(
            "%(held)s unit(s) are held in baskets being paid: the stock cannot go below "
            "that for now. Try again in a few minutes."
        ) % {"held": units_held})
        return set()
    changed = set()
    for name, value in values.items():
        current = product.category if name == "category" else getattr(product, name)
        if current != value:
            setattr(product, name, value)
            changed.add(name)
    return changed


def _new_product(batch, index, change, categories) -> Product | None:
    if not batch.allow_create:
        batch.refuse(index, "reference", "not_found", _(
            "No product has the reference « %(reference)s » in your catalogue."
        ) % {"reference": change.reference})
        return None
    missing = [name for name in REQUIRED_TO_CREATE if getattr(change, name) is None]
    for name in missing:
        batch.refuse(index, name, "required",
                     _("Required to create a product: %(field)s.") % {"field": name})
    if missing or change.category not in categories:
        return None
    vendor = batch.vendor
    return Product(
        vendor=vendor, solidarity_bps=vendor.default_solidarity_bps,
        solidarity_project_id=vendor.default_solidarity_project_id,
        **_values(change, categories),
    )


def _save_changes(products: list[Product], names: list[str]) -> None:
    """Write the changed fields of `products` (locked). On PostgreSQL, one `UPDATE … FROM
    unnest(…)` of one array per field: Django's `bulk_update` builds a CASE branch per row
    and field, which costs seconds of Python for a 1,000-product stock sync."""
    if connection.vendor != "postgresql":
        Product.objects.bulk_update(products, names, batch_size=BATCH_SIZE)
        return
    table = connection.ops.quote_name(Product._meta.db_table)
    columns = [Product._meta.get_field(name) for name in names]
    arrays = [[product.pk for product in products]]
    casts = ["bigint[]"]
    for column in columns:
        arrays.append([column.get_db_prep_save(getattr(product, column.attname), connection)
                       for product in products])
        casts.append(f"{column.db_type(connection)}[]")
    aliases = ["id", *(f"v{position}" for position in range(len(columns)))]
    assignments = ", ".join(
        f"{connection.ops.quote_name(column.column)} = v.{alias}"
        for column, alias in zip(columns, aliases[1:], strict=True)
    )
    unnest = ", ".join(f"%s::{cast}" for cast in casts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS p SET {assignments} "  # noqa: S608 (names from the model)
            f"FROM unnest({unnest}) AS v({', '.join(aliases)}) WHERE p.id = v.id",
            arrays,
        )


def _allocate_slugs(vendor: Vendor, products: list[Product]) -> None:
    taken = set(Product.objects.filter(vendor=vendor).values_list("slug", flat=True))
    slugs = SlugAllocator(taken)
    for product in products:
        product.slug = slugs.allocate(product.title)

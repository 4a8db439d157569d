"""The writes of a checked import: new products in bulk, changed fields in bulk, photos."""

from django.utils import timezone
from django.utils.text import slugify

from shop.catalogue.models import Product
from vendors.models import Vendor

from .matching import KEEP, ImportRow, ProductValues, photos_of, photos_unchanged
from .photos import PhotoArchive, product_photos_replace
from .text import html_to_plain

SLUG_MAX_LENGTH = Product._meta.get_field("slug").max_length
BATCH_SIZE = 500


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


def products_create(*, vendor: Vendor, rows: list[ImportRow], archive: PhotoArchive) -> int:
    """Creates the rows' products (and their photos); returns how many."""
    if not rows:
        return 0
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
                                   current=[], archive=archive)
    return len(products)


def products_update(*, vendor: Vendor, rows: list[ImportRow], archive: PhotoArchive) -> int:
    """Writes the rows' changes on their products (and photos); returns how many."""
    if not rows:
        return 0
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
                                   current=photos, archive=archive)
    return len(rows)


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

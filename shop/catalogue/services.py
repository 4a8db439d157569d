"""Writes on the catalogue."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from config.cache_versions import CATALOGUE, cache_version_renew
from shop.catalogue.models import Product


def product_unique_slug(*, vendor, title: str, exclude_pk: int | None = None) -> str:
    """A slug from the title, unique among the vendor's products (-2, -3… when taken)."""
    base = (slugify(title) or "produit")[:190]
    taken = set(
        Product.objects.filter(vendor=vendor, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


@transaction.atomic
def product_stock_set(*, product: Product, stock: int) -> Product:
    """Set the stock counted on the shelf (the quick edit of the product list)."""
    if stock < 0:
        raise ValueError("stock must be zero or more")
    Product.objects.filter(pk=product.pk).update(stock=stock)
    product.stock = stock
    return product


@transaction.atomic
def products_set_active(*, products: QuerySet[Product], active: bool) -> int:
    """Put products on sale or take them off sale; returns how many changed."""
    changed = products.exclude(is_active=active).update(is_active=active)
    if changed:
        cache_version_renew(CATALOGUE)
    return changed

"""The vendor write API: a vendor's tool reads and writes its own catalogue, and no one
else's (another vendor's product answers 404, as an unknown one)."""

from django.core.paginator import EmptyPage, Paginator
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError

from shop.catalogue.models import Category
from shop.catalogue_sync import CatalogueWriteRefused, ProductChange, catalogue_products_write

from . import presenters
from .auth import PerTokenThrottle, VendorToken
from .schemas import MAX_ID, CategoryOut, Error
from .selectors import units_held, vendor_catalogue
from .vendor_schemas import (
    BulkIn,
    BulkOut,
    PageQuery,
    ProductCreateIn,
    ProductPatchIn,
    VendorProductOut,
    VendorProductPage,
    WriteErrorOut,
)
from .write_errors import item_errors, refused

router = Router(tags=["vendor catalogue"], auth=VendorToken(), throttle=PerTokenThrottle())
# Routes are matched in the order they are declared: `/products/bulk` comes before
# `/products/{product_id}`.

AUTH_ERRORS = {401: Error, 403: Error, 429: Error}


def _vendor(request):
    return request.auth.vendor


def _product_or_404(request, product_id: int):
    product = vendor_catalogue(_vendor(request)).filter(pk=product_id).first()
    if product is None:
        raise HttpError(404, _("No product #%(id)s in your catalogue.") % {"id": product_id})
    return product


def _payload(product, held: dict[int, int]) -> dict:
    return presenters.vendor_product_payload(product, reserved=held.get(product.pk, 0))


def _write(request, changes, *, allow_create=True):
    """The service's results; a refusal is answered 422 by `write_refused`."""
    return catalogue_products_write(
        vendor=_vendor(request), changes=changes, allow_create=allow_create
    )


def write_refused(request, refusal: CatalogueWriteRefused, *, api):
    """Registered on the API: nothing was written, every refused item is listed."""
    return api.create_response(request, refused(item_errors(refusal.errors)), status=422)


@router.get(
    "/categories", response={200: list[CategoryOut], **AUTH_ERRORS},
    summary="The categories a product may be put in",
)
def category_list(request):
    return [presenters.category_payload(c) for c in Category.objects.select_related("parent")]


@router.get(
    "/products", response={200: VendorProductPage, 404: Error, **AUTH_ERRORS},
    summary="Your products, oldest first",
    description="All of them, on sale or not, with the units held in baskets being paid.",
)
def product_list(request, filters: Query[PageQuery]):
    products = vendor_catalogue(_vendor(request))
    if filters.reference:
        products = products.filter(reference=filters.reference)
    if filters.updated_since:
        products = products.filter(updated_at__gte=filters.updated_since)
    paginator = Paginator(products, filters.page_size, allow_empty_first_page=True)
    try:
        page = paginator.page(filters.page)
    except EmptyPage as exc:
        raise HttpError(404, _("There is no page %(page)s.") % {"page": filters.page}) from exc
    items = list(page.object_list)
    held = units_held([p.pk for p in items])
    return {
        "count": paginator.count, "page": page.number, "page_size": filters.page_size,
        "num_pages": paginator.num_pages, "items": [_payload(p, held) for p in items],
    }


@router.post(
    "/products/bulk", response={200: BulkOut, 422: WriteErrorOut, **AUTH_ERRORS},
    summary="Create and update up to 1,000 products at once (stock sync)",
    description=(
        "Each item names its product by `id` or by your `reference`; an unknown reference "
        "creates the product (then `title`, `category` and `price_cents` are required). "
        "**All or nothing**: if any item is refused, nothing is saved and the answer (422) "
        "lists every refused item with its `index` in `items`, the field and the reason."
    ),
)
def product_bulk(request, payload: BulkIn):
    changes = [ProductChange(**item.changes()) for item in payload.items]
    results = _write(request, changes)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for result in results:
        counts[result.status] += 1
    return {
        **counts,
        "items": [
            {"index": r.index, "id": r.product.pk, "reference": r.product.reference,
             "status": r.status}
            for r in results
        ],
    }


@router.get(
    "/products/{product_id}", response={200: VendorProductOut, 404: Error, **AUTH_ERRORS},
    summary="One of your products",
)
def product_detail(request, product_id: int = Path(..., ge=1, le=MAX_ID)):
    product = _product_or_404(request, product_id)
    return _payload(product, units_held([product.pk]))


@router.post(
    "/products",
    response={201: VendorProductOut, 200: VendorProductOut, 422: WriteErrorOut, **AUTH_ERRORS},
    summary="Create a product",
    description="With a `reference` already in your catalogue, that product is updated "
                "instead (an upsert), so that a retried call creates nothing twice.",
)
def product_create(request, payload: ProductCreateIn):
    [result] = _write(request, [ProductChange(**payload.changes())])
    product = _product_or_404(request, result.product.pk)
    return 201 if result.status == "created" else 200, _payload(product, units_held([product.pk]))


@router.patch(
    "/products/{product_id}",
    response={200: VendorProductOut, 404: Error, 422: WriteErrorOut, **AUTH_ERRORS},
    summary="Change some fields of a product",
    description="Only the fields sent change. `expected_stock` guards a stock update "
                "against a sale made since your tool read the stock.",
)
def product_update(request, payload: ProductPatchIn,
                   product_id: int = Path(..., ge=1, le=MAX_ID)):
    change = ProductChange(**payload.changes(id=product_id))
    try:
        _write(request, [change], allow_create=False)
    except CatalogueWriteRefused as refusal:
        if refusal.not_found:
            raise HttpError(404, refusal.errors[0].message) from refusal
        raise
    product = _product_or_404(request, product_id)
    return _payload(product, units_held([product.pk]))

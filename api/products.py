"""A product wherever it is on sale."""

from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja.errors import HttpError

from markets.selectors import markets_of_vendor
from shop.catalogue.selectors import with_first_image, with_listing_relations

from . import presenters
from .schemas import MAX_ID, Error, ProductDetailOut
from .selectors import holds, products_on_sale_somewhere

router = Router(tags=["products"])


@router.get(
    "/{product_id}",
    response={200: ProductDetailOut, 404: Error},
    summary="A product on sale in at least one live market",
    description="`url` is its page in an open market when there is one.",
)
def product_detail(request, product_id: int = Path(..., ge=1, le=MAX_ID)):
    product = (
        with_first_image(
            with_listing_relations(products_on_sale_somewhere()).annotate(**holds()),
            *presenters.DETAIL_SPECS,
        )
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise HttpError(404, _("Product not found."))
    return presenters.product_detail_payload(
        product, request, markets=list(markets_of_vendor(product.vendor))
    )

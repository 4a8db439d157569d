"""Vendors' public identity."""

from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError

from markets.selectors import markets_of_vendor
from shop.catalogue.selectors import market_vendors

from . import presenters
from .markets import get_market_or_404
from .schemas import MAX_ID, SLUG_PATTERN, Error, VendorDetailOut, VendorOut
from .selectors import approved_vendors

router = Router(tags=["vendors"])


@router.get(
    "",
    response={200: list[VendorOut], 404: Error},
    summary="Approved vendors, by name",
    description="With `market`, only the vendors approved in that market.",
)
def vendor_list(
    request,
    market: int | None = Query(None, ge=1, le=MAX_ID, description="A market id."),
):
    vendors = approved_vendors()
    if market is not None:
        vendors = market_vendors(market=get_market_or_404(market))
    return [presenters.vendor_payload(vendor) for vendor in vendors]


@router.get("/{slug}", response={200: VendorDetailOut, 404: Error}, summary="A vendor")
def vendor_detail(request, slug: str = Path(..., max_length=200, pattern=SLUG_PATTERN)):
    vendor = approved_vendors().filter(slug=slug).first()
    if vendor is None:
        raise HttpError(404, _("Vendor not found."))
    return {
        **presenters.vendor_payload(vendor),
        "postcode": vendor.postcode,
        "description": presenters.rich_text(vendor.description),
        "markets": [
            presenters.market_summary(market, request) for market in markets_of_vendor(vendor)
        ],
    }

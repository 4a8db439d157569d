"""Reads the API needs and the storefront does not (yet): a product's markets, the
vendors listed. The catalogue itself comes from `shop.catalogue.selectors`, markets from
`markets.selectors`."""

from django.db.models import Prefetch, QuerySet

from markets.models import SolidarityProject
from markets.selectors import approved_vendors_in_live_markets, live_markets
from shop.checkout.availability import hold_annotations
from shop.checkout.selectors import reserved_by_others
from shop.models import Product
from vendors.models import Vendor


def products_on_sale_somewhere() -> QuerySet[Product]:
    """Active products of approved vendors with an approved place in a live market."""
    return Product.objects.filter(is_active=True, vendor__in=approved_vendors_in_live_markets())


def approved_vendors() -> QuerySet[Vendor]:
    return Vendor.objects.filter(status=Vendor.Status.APPROVED).order_by("name", "pk")


def live_projects() -> QuerySet[SolidarityProject]:
    return (
        SolidarityProject.objects.live()
        .public()
        .prefetch_related(
            Prefetch("markets", queryset=live_markets().order_by("opens_at", "pk"))
        )
        .order_by("title", "pk")
    )


def holds() -> dict:
    """Annotations giving, in a listing's own query, the units no shopper holds in a basket
    awaiting payment (`units_free`) and when the last hold lapses (`held_until`)."""
    return hold_annotations(session_key=None)


def vendor_catalogue(vendor: Vendor) -> QuerySet[Product]:
    """Every product of `vendor`, on sale or not, oldest first: what its own tool sees."""
    return Product.objects.filter(vendor=vendor).select_related("category__parent").order_by("pk")


def units_held(product_ids) -> dict[int, int]:
    """Units of each product held by baskets being paid."""
    return reserved_by_others(product_ids=product_ids) if product_ids else {}

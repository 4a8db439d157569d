"""Every row lock of the shop goes through here, always in primary-key order, so that two
transactions take their locks in the same order and cannot deadlock."""

from django.db.models import QuerySet

from shop.catalogue.models import Product
from vendors.models import Vendor


def lock_products(product_ids) -> QuerySet[Product]:
    """Lock the products (for stock checks and allocation) and return them."""
    return (
        Product.objects.filter(pk__in=sorted(set(product_ids)))
        .order_by("pk")
        .select_for_update(of=("self",))
    )


def lock_vendor(vendor_id: int) -> Vendor:
    """Serialise catalogue writes of one vendor (slug allocation of a bulk import)."""
    return Vendor.objects.filter(pk=vendor_id).order_by("pk").select_for_update(of=("self",)).get()


def lock_checkout(checkout_id: int):
    """Serialise everything that happens to one checkout (reserve, complete, release).
    Taken before any product lock."""
    from shop.checkout.models import Checkout

    return Checkout.objects.select_for_update(of=("self",)).select_related(
        "market", "cart", "chosen_project"
    ).get(pk=checkout_id)


def lock_pickup_slots(slot_ids):
    """Lock the pick-up slots a checkout holds (capacity checks) and return them. Taken
    after the checkout (and its payment) and before any product."""
    from markets.pickup import PickupSlot

    return list(
        PickupSlot.objects.filter(pk__in=sorted(set(slot_ids)))
        .order_by("pk")
        .select_for_update(of=("self",))
    )

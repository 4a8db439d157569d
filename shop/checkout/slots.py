"""Pick-up slots seen from the checkout: how many baskets each holds, which slots a
shopper may still choose, and the capacity check made when a checkout is reserved.

A checkout holds its slot while its reservation is live and for good once paid; one basket
counts once, whatever the number of its vendors. The check is made under the slot's row
lock (`shop.locking.lock_pickup_slots`, after the checkout lock and before the product
locks), so two checkouts never both take the last place.

A payment completed after its reservation expired is honoured as every late payment is
(`shop.orders.completion`): the order keeps the slot the shopper chose even if the slot
filled up meanwhile. The shopper keeps what the confirmation says, and the organiser sees
the slot over capacity (« 9 / 8 ») on the slot list and the market's pick-up list, to add
hands or call the shopper, rather than the shopper being moved without a word.
"""

from collections import defaultdict
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from markets.pickup import PickupSlot
from shop.checkout.models import Checkout, CheckoutFulfilment
from shop.locking import lock_pickup_slots


def _holding(*, now: datetime) -> Q:
    return Q(checkout__state=Checkout.State.PAID) | Q(checkout__reservations__expires_at__gt=now)


def booked_by_slot(*, slot_ids, now: datetime | None = None,
                   exclude_checkout_id: int | None = None) -> dict[int, int]:
    """{slot id: baskets held}: paid checkouts and live reservations, each basket once."""
    now = now or timezone.now()
    rows = (
        CheckoutFulfilment.objects.filter(pickup_slot_id__in=list(slot_ids))
        .filter(_holding(now=now))
        .exclude(checkout_id=exclude_checkout_id)
        .values_list("pickup_slot_id", "checkout_id")
        .distinct()
    )
    counts: dict[int, int] = defaultdict(int)
    for slot_id, _checkout_id in rows:
        counts[slot_id] += 1
    return dict(counts)


def slots_on_offer(*, points, now: datetime | None = None,
                   checkout: Checkout | None = None) -> dict[int, list[PickupSlot]]:
    """{point id: its future slots with room, each with `places_left`}, for a shopper
    (whose own hold counts as room)."""
    now = now or timezone.now()
    points = [point for point in points if getattr(point, "has_slots", True)]
    if not points:
        return {}
    slots = list(PickupSlot.objects.filter(point__in=points, starts_at__gt=now)
                 .order_by("starts_at", "pk"))
    if not slots:
        return {}
    booked = booked_by_slot(slot_ids=[slot.pk for slot in slots], now=now,
                            exclude_checkout_id=checkout.pk if checkout else None)
    offered: dict[int, list[PickupSlot]] = defaultdict(list)
    for slot in slots:
        slot.places_left = slot.capacity - booked.get(slot.pk, 0)
        if slot.places_left > 0:
            offered[slot.point_id].append(slot)
    return dict(offered)


def slot_full_for(*, checkout: Checkout, now: datetime) -> PickupSlot | None:
    """Lock the checkout's pick-up slot and say whether it has no room left for this
    checkout (full or already begun). To be called under the checkout lock."""
    slot_ids = set(
        checkout.fulfilments.filter(method=CheckoutFulfilment.Method.PICKUP)
        .exclude(pickup_slot=None).values_list("pickup_slot_id", flat=True)
    )
    if not slot_ids:
        return None
    slots = lock_pickup_slots(slot_ids)
    booked = booked_by_slot(slot_ids=slot_ids, now=now, exclude_checkout_id=checkout.pk)
    for slot in slots:
        if slot.starts_at <= now or booked.get(slot.pk, 0) >= slot.capacity:
            return slot
    return None


def slot_gone_for(*, checkout: Checkout) -> bool:
    """Whether the checkout collects at a point that has slots without one: the slot it
    chose was deleted by the organiser while no hold kept it (the choice is then emptied,
    `on_delete=SET_NULL`), and the shopper must choose again."""
    return checkout.fulfilments.filter(
        method=CheckoutFulfilment.Method.PICKUP, pickup_slot=None,
        pickup_point__slots__isnull=False,
    ).exists()


def pickup_points_with_slots(*, market) -> list:
    """The market's pick-up points, each with `has_slots`: a point with slots is chosen
    with one of them."""
    return list(market.pickup_points.annotate(
        has_slots=Exists(PickupSlot.objects.filter(point=OuterRef("pk")))
    ))

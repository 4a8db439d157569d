"""What an organiser does with the pick-up slots of its points: open many at once, change
a slot's capacity, delete one nobody booked.

A slot's row is locked while its bookings are counted and its capacity changed, the same
lock a checkout takes to hold a place in it (`shop.locking.lock_pickup_slots`), so a
capacity never goes below what is booked, even while shoppers are paying."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .pickup import PickupPoint, PickupSlot, slot_bookings

PARIS = ZoneInfo("Europe/Paris")
MAX_SLOTS_AT_ONCE = 1000


class SlotError(ValueError):
    """A slot change that would break a booking; the message is for the organiser."""


@dataclass(frozen=True)
class SlotPlan:
    """Slots to open: every `length` from `from_time` to `to_time` (Europe/Paris) on each
    day from `first_day` to `last_day` whose weekday (0 = Monday) is in `weekdays` (every
    day when empty)."""

    first_day: date
    last_day: date
    from_time: time
    to_time: time
    length: timedelta
    capacity: int
    weekdays: frozenset[int] = frozenset()

    def starts(self) -> list[tuple[datetime, datetime]]:
        """(start, end) of every slot of the plan, aware, in Europe/Paris."""
        slots = []
        day = self.first_day
        while day <= self.last_day:
            if not self.weekdays or day.weekday() in self.weekdays:
                start = datetime.combine(day, self.from_time)
                while start + self.length <= datetime.combine(day, self.to_time):
                    slots.append((start.replace(tzinfo=PARIS),
                                  (start + self.length).replace(tzinfo=PARIS)))
                    start += self.length
            day += timedelta(days=1)
        return slots


@transaction.atomic
def pickup_slots_generate(*, point: PickupPoint, plan: SlotPlan) -> list[PickupSlot]:
    """Open the slots of `plan` at `point`, leaving the ones already open at the same
    start as they are. Returns the slots created."""
    wanted = plan.starts()
    if len(wanted) > MAX_SLOTS_AT_ONCE:
        raise SlotError(_("That makes %(count)d slots: open at most %(max)d at once.")
                        % {"count": len(wanted), "max": MAX_SLOTS_AT_ONCE})
    existing = set(point.slots.values_list("starts_at", flat=True))
    return PickupSlot.objects.bulk_create([
        PickupSlot(point=point, starts_at=starts_at, ends_at=ends_at, capacity=plan.capacity)
        for starts_at, ends_at in wanted if starts_at not in existing
    ])


def _lock(slot: PickupSlot) -> PickupSlot:
    return (PickupSlot.objects.filter(pk=slot.pk).order_by("pk")
            .select_for_update(of=("self",)).get())


@transaction.atomic
def pickup_slot_set_capacity(*, slot: PickupSlot, capacity: int) -> PickupSlot:
    """Change how many baskets `slot` takes; never fewer than it already holds."""
    slot = _lock(slot)
    booked = slot_bookings([slot.pk])[slot.pk]
    if capacity < max(booked, 1):
        raise SlotError(ngettext(
            "%(count)d basket is already booked in this slot: its capacity cannot be less.",
            "%(count)d baskets are already booked in this slot: its capacity cannot be less.",
            booked) % {"count": booked})
    slot.capacity = capacity
    slot.save(update_fields=["capacity"])
    return slot


@transaction.atomic
def pickup_slot_delete(*, slot: PickupSlot) -> None:
    """Delete a slot nobody booked."""
    slot = _lock(slot)
    booked = slot_bookings([slot.pk])[slot.pk]
    if booked or slot.orders.exists():
        raise SlotError(ngettext(
            "%(count)d basket is booked in this slot: it cannot be deleted.",
            "%(count)d baskets are booked in this slot: it cannot be deleted.",
            max(booked, 1)) % {"count": max(booked, 1)})
    slot.delete()

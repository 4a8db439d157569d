"""The organiser's pick-up slots: opening many at once, capacities that never go below what
is booked, deletion of unbooked slots only, and each screen scoped to the organiser's own
markets."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from markets.pickup import PickupSlot, slot_bookings
from markets.services import organiser_member_add
from markets.slots import (
    PARIS,
    SlotError,
    SlotPlan,
    pickup_slot_delete,
    pickup_slot_set_capacity,
    pickup_slots_generate,
)
from shop.checkout.services import checkout_release, checkout_reserve
from shop.models import Checkout, Order
from shop.orders.completion import checkout_complete
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    PickupPointFactory,
    PickupSlotFactory,
    UserFactory,
    choose_slot,
    product_in_market,
    reserved_checkout,
)

pytestmark = pytest.mark.django_db


def plan(**kwargs) -> SlotPlan:
    values = {"first_day": date(2026, 12, 2), "last_day": date(2026, 12, 8),
              "from_time": time(10), "to_time": time(18), "length": timedelta(hours=1),
              "capacity": 8, **kwargs}
    return SlotPlan(**values)


# The plan (pure)


def test_a_plan_gives_slots_on_the_chosen_weekdays_between_the_hours():
    # Wednesday 2 and Saturday 5, Wednesday… the 8th is a Tuesday.
    starts = plan(weekdays=frozenset({2, 5})).starts()

    assert len(starts) == 2 * 8
    assert {start.date() for start, _ in starts} == {date(2026, 12, 2), date(2026, 12, 5)}
    first, last = starts[0], starts[-1]
    assert (first[0].hour, first[1].hour, last[0].hour, last[1].hour) == (10, 11, 17, 18)
    assert first[0].tzinfo == PARIS
    assert first[0].utcoffset() == timedelta(hours=1)


def test_a_slot_that_would_end_after_the_last_hour_is_not_made():
    starts = plan(last_day=date(2026, 12, 2), from_time=time(10), to_time=time(11, 30),
                  length=timedelta(minutes=45)).starts()

    assert [(s.time(), e.time()) for s, e in starts] == [
        (time(10), time(10, 45)), (time(10, 45), time(11, 30))]


def test_hours_are_paris_hours_on_both_sides_of_the_clock_change():
    summer = plan(first_day=date(2026, 3, 28), last_day=date(2026, 3, 29),
                  to_time=time(11)).starts()

    assert [start.utcoffset() for start, _ in summer] == [timedelta(hours=1),
                                                          timedelta(hours=2)]


# Services


def test_generating_again_keeps_the_slots_already_open():
    point = PickupPointFactory()
    first = pickup_slots_generate(point=point, plan=plan(weekdays=frozenset({5})))

    again = pickup_slots_generate(point=point, plan=plan(weekdays=frozenset({2, 5}),
                                                         capacity=3))

    assert len(first) == 8 and len(again) == 8
    assert point.slots.count() == 16
    assert set(point.slots.filter(starts_at__in=[s.starts_at for s in first])
               .values_list("capacity", flat=True)) == {8}


def test_too_many_slots_at_once_are_refused():
    with pytest.raises(SlotError):
        pickup_slots_generate(point=PickupPointFactory(),
                              plan=plan(last_day=date(2027, 3, 31),
                                        length=timedelta(minutes=5)))

    assert PickupSlot.objects.count() == 0


def booked_slot(capacity=3, baskets=2):
    market = MarketPageFactory()
    slot = PickupSlotFactory(point=PickupPointFactory(market=market), capacity=capacity)
    for n in range(baskets):
        checkout = reserved_checkout(market, [(product_in_market(market), 1)],
                                     session_key=f"slot-{n}", reserve=False)
        choose_slot(checkout, slot)
        assert checkout_reserve(checkout=checkout).ok
    return slot


def test_the_capacity_never_goes_below_the_baskets_booked():
    slot = booked_slot(capacity=3, baskets=2)

    with pytest.raises(SlotError, match="2 paniers sont déjà réservés"):
        pickup_slot_set_capacity(slot=slot, capacity=1)
    pickup_slot_set_capacity(slot=slot, capacity=2)

    slot.refresh_from_db()
    assert slot.capacity == 2
    assert slot_bookings([slot.pk]) == {slot.pk: 2}


def test_a_booked_slot_cannot_be_deleted_until_its_hold_is_released():
    slot = booked_slot(capacity=3, baskets=1)

    with pytest.raises(SlotError):
        pickup_slot_delete(slot=slot)
    checkout_release(checkout=Checkout.objects.get())
    pickup_slot_delete(slot=slot)

    assert not PickupSlot.objects.filter(pk=slot.pk).exists()


def test_unpaid_holds_and_paid_baskets_count_an_expired_hold_does_not():
    # given three baskets in the slot: one paid, one awaiting payment, one whose hold expired
    slot = booked_slot(capacity=5, baskets=3)
    paid, awaiting, expired = Checkout.objects.order_by("pk")
    checkout_complete(checkout=paid, payment_reference="pay-slot")
    expired.reservations.update(expires_at=timezone.now() - timedelta(minutes=1))

    # then two are counted: the capacity goes down to two, not below, and the slot stays
    assert Checkout.objects.get(pk=awaiting.pk).state == Checkout.State.RESERVED
    assert slot_bookings([slot.pk]) == {slot.pk: 2}
    with pytest.raises(SlotError, match="2 paniers sont déjà réservés"):
        pickup_slot_set_capacity(slot=slot, capacity=1)
    with pytest.raises(SlotError, match="ne peut pas être supprimé"):
        pickup_slot_delete(slot=slot)
    pickup_slot_set_capacity(slot=slot, capacity=2)
    assert PickupSlot.objects.get(pk=slot.pk).capacity == 2


def test_a_basket_awaiting_payment_keeps_its_slot_from_deletion_until_its_hold_expires():
    slot = booked_slot(capacity=3, baskets=1)
    checkout = Checkout.objects.get()

    with pytest.raises(SlotError, match="1 panier est réservé"):
        pickup_slot_delete(slot=slot)
    checkout.reservations.update(expires_at=timezone.now() - timedelta(minutes=1))
    pickup_slot_set_capacity(slot=slot, capacity=1)
    pickup_slot_delete(slot=slot)

    assert not PickupSlot.objects.filter(pk=slot.pk).exists()


def test_a_slot_with_orders_cannot_be_deleted_even_once_its_checkouts_are_gone():
    slot = booked_slot(capacity=3, baskets=1)
    checkout_complete(checkout=Checkout.objects.get(), payment_reference="pay-slot")
    Checkout.objects.update(state=Checkout.State.ABANDONED)  # no longer counted as held

    with pytest.raises(SlotError, match="ne peut pas être supprimé"):
        pickup_slot_delete(slot=slot)

    assert Order.objects.get().pickup_slot_id == slot.pk


# Screens


class Space:
    def __init__(self, name):
        self.index = MarketIndexPageFactory(title=f"Réseau {name}")
        self.user = UserFactory(username=f"orga-{name}")
        organiser_member_add(organiser=self.index.organiser, user=self.user,
                             index_page=self.index)
        self.market = MarketPageFactory(parent=self.index, title=f"Marché {name}")
        self.point = PickupPointFactory(market=self.market, name=f"Halle {name}")
        self.slot = PickupSlotFactory(point=self.point)


@pytest.fixture
def one(db):
    return Space("un")


@pytest.fixture
def two(db):
    return Space("deux")


def test_the_organiser_lists_a_points_slots_with_booked_and_capacity(
        client, one, django_assert_max_num_queries):
    PickupSlotFactory(point=one.point, starts_at=one.slot.starts_at + timedelta(days=1),
                      ends_at=one.slot.ends_at + timedelta(days=1), capacity=5)
    client.force_login(one.user)
    url = reverse("markets_pickup_point_slots", args=[one.point.pk])
    client.get(url)

    with django_assert_max_num_queries(30):
        response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "0 / 8" in html and "0 / 5" in html
    assert "Ajouter des créneaux" in html


def test_the_organiser_opens_slots_from_the_form(client, one):
    client.force_login(one.user)
    first = timezone.localdate() + timedelta(days=7)

    response = client.post(reverse("markets_pickup_slots_generate", args=[one.point.pk]), {
        "first_day": first.isoformat(), "last_day": (first + timedelta(days=6)).isoformat(),
        "weekdays": ["2", "5"], "from_time": "10:00", "to_time": "18:00", "length": "60",
        "capacity": "8",
    })

    assert response.status_code == 302
    assert one.point.slots.count() == 1 + 16


def test_the_form_explains_a_capacity_below_the_bookings(client, one):
    client.force_login(one.user)
    slot = booked_slot(capacity=3, baskets=2)
    slot.point.market.move(one.index, pos="last-child")

    response = client.post(reverse("markets_pickup_slot_capacity", args=[slot.pk]),
                           {"capacity": "1"})

    assert response.status_code == 200
    assert "2 paniers sont déjà réservés" in response.content.decode()


def test_deleting_a_booked_slot_is_refused_with_a_message(client, one):
    client.force_login(one.user)
    slot = booked_slot(capacity=3, baskets=1)
    slot.point.market.move(one.index, pos="last-child")

    response = client.post(reverse("markets_pickup_slot_delete", args=[slot.pk]), follow=True)

    assert PickupSlot.objects.filter(pk=slot.pk).exists()
    assert "ne peut pas être supprimé" in response.content.decode()


def test_an_unbooked_slot_is_deleted(client, one):
    client.force_login(one.user)

    client.post(reverse("markets_pickup_slot_delete", args=[one.slot.pk]))

    assert not PickupSlot.objects.filter(pk=one.slot.pk).exists()


@pytest.mark.parametrize("name, target", [
    ("markets_pickup_point_slots", "point"), ("markets_pickup_slots_generate", "point"),
    ("markets_pickup_slot_capacity", "slot"), ("markets_pickup_slot_delete", "slot"),
])
def test_another_organiser_gets_a_404(client, one, two, name, target):
    client.force_login(two.user)

    got = client.get(reverse(name, args=[getattr(one, target).pk]))
    posted = client.post(reverse(name, args=[getattr(one, target).pk]), {"capacity": "1"})

    assert got.status_code == 404 and posted.status_code == 404
    assert PickupSlot.objects.get(pk=one.slot.pk).capacity == 8

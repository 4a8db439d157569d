"""Pick-up slots against hand-made requests and late changes: a point with slots is never
chosen alone, a slot of another market, a past or a full slot is refused with nothing
booked, and a slot that fills up before the payment is never overbooked: the shopper is
sent back to choose another, the basket kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from markets.pickup import slot_bookings
from markets.slots import pickup_slot_delete
from payments.models import Payment
from shop.checkout.services import checkout_reserve
from shop.models import CartLine, Checkout, CheckoutFulfilment, Order, Reservation
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    PickupSlotFactory,
    VendorFactory,
    choose_slot,
    product_in_market,
    reserved_checkout,
)
from tests.payments.conftest import card
from tests.shop.test_pickup_slots_checkout import full
from tests.shop.test_views_checkout import ADDRESS, FULFILMENT, REVIEW, fill_basket, give_contact

pytestmark = pytest.mark.django_db

NO_LONGER_AVAILABLE = "Ce créneau de retrait n'est plus disponible : choisissez-en un autre."


@pytest.fixture
def market():
    return MarketPageFactory(shipping_allowed=True)


@pytest.fixture
def point(market):
    return PickupPointFactory(market=market, name="Halle aux Toiles")


@pytest.fixture
def slot(point):
    return PickupSlotFactory(point=point, capacity=2)


def pay_url(checkout) -> str:
    return reverse("payments:pay", args=[checkout.reference])


# A point with slots is chosen with one of them


def test_a_point_with_slots_posted_alone_is_refused_and_the_form_keeps_the_rest(
        client, market, point, slot):
    # given a basket of two sellers, one shipping, and a slot chosen earlier
    shipper = VendorFactory(ships=True, shipping_fee_cents=500)
    fill_basket(client, market, (product_in_market(market), 1),
                (product_in_market(market, vendor=shipper), 1))
    checkout = give_contact(client)
    client.post(FULFILMENT, {"pickup": f"{point.pk}-{slot.pk}",
                             f"method_{shipper.pk}": "pickup"})

    # when a hand-made request names the point alone
    response = client.post(FULFILMENT, {"pickup": str(point.pk),
                                        f"method_{shipper.pk}": "shipping", **ADDRESS})

    # then the form comes back with a clear error and what was typed
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["pickup"] == [
        "À « Halle aux Toiles », le retrait se fait par créneau : choisissez-en un."]
    html = response.content.decode()
    assert ADDRESS["shipping_address"] in html
    assert f'value="{point.pk}-{slot.pk}"' in html
    # and nothing that was saved is lost
    rows = CheckoutFulfilment.objects.filter(checkout=checkout)
    assert {(row.method, row.pickup_slot_id) for row in rows} == {("pickup", slot.pk)}
    assert CartLine.objects.filter(cart__checkouts=checkout).count() == 2


def test_a_point_with_slots_none_of_them_on_offer_is_not_accepted_alone(client, market, point):
    past = PickupSlotFactory(point=point, starts_at=timezone.now() - timedelta(hours=2),
                             ends_at=timezone.now() - timedelta(hours=1))
    fill_basket(client, market, (product_in_market(market), 1))
    checkout = give_contact(client)

    response = client.post(FULFILMENT, {"pickup": str(point.pk)})

    assert response.status_code == 200
    assert "pickup" in response.context["form"].errors
    assert not CheckoutFulfilment.objects.filter(checkout=checkout).exists()
    assert slot_bookings([past.pk]) == {past.pk: 0}


def test_a_point_without_slots_is_still_chosen_alone(client, market, point, slot):
    kiosk = PickupPointFactory(market=market, name="Kiosque de la gare")
    fill_basket(client, market, (product_in_market(market), 1))
    checkout = give_contact(client)

    response = client.post(FULFILMENT, {"pickup": str(kiosk.pk)})

    assert response.status_code == 302
    row = CheckoutFulfilment.objects.get(checkout=checkout)
    assert (row.pickup_point_id, row.pickup_slot_id) == (kiosk.pk, None)


# Slots that may not be chosen


def other_market_slot(point):
    other = PickupSlotFactory(point=PickupPointFactory(market=MarketPageFactory()))
    return f"{point.pk}-{other.pk}", other


def other_market_point_and_slot(point):
    other = PickupSlotFactory(point=PickupPointFactory(market=MarketPageFactory()))
    return f"{other.point_id}-{other.pk}", other


def past_slot(point):
    past = PickupSlotFactory(point=point, starts_at=timezone.now() - timedelta(hours=2),
                             ends_at=timezone.now() - timedelta(hours=1))
    return f"{point.pk}-{past.pk}", past


def begun_slot(point):
    begun = PickupSlotFactory(point=point, starts_at=timezone.now() - timedelta(minutes=10),
                              ends_at=timezone.now() + timedelta(minutes=50))
    return f"{point.pk}-{begun.pk}", begun


def full_slot(point):
    taken = PickupSlotFactory(point=point, capacity=1,
                              starts_at=timezone.now() + timedelta(days=2),
                              ends_at=timezone.now() + timedelta(days=2, hours=1))
    full(taken)
    return f"{point.pk}-{taken.pk}", taken


@pytest.mark.parametrize("posted", [other_market_slot, other_market_point_and_slot,
                                    past_slot, begun_slot, full_slot])
def test_a_slot_that_may_not_be_chosen_is_refused_and_nothing_is_booked(
        client, market, point, slot, posted):
    value, refused = posted(point)
    booked_before = slot_bookings([refused.pk])[refused.pk]
    fill_basket(client, market, (product_in_market(market), 1))
    checkout = give_contact(client)

    response = client.post(FULFILMENT, {"pickup": value})

    assert response.status_code == 200
    assert response.context["form"].errors["pickup"] == [NO_LONGER_AVAILABLE]
    assert not CheckoutFulfilment.objects.filter(checkout=checkout).exists()
    assert slot_bookings([refused.pk]) == {refused.pk: booked_before}
    assert f'value="{point.pk}-{slot.pk}"' in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "1-2-3", "-", f"{10**12}-1"])
def test_a_malformed_pick_up_value_is_a_form_error(client, market, point, slot, value):
    fill_basket(client, market, (product_in_market(market), 1))
    give_contact(client)

    response = client.post(FULFILMENT, {"pickup": value})

    assert response.status_code == 200
    assert response.context["form"].errors["pickup"] == [NO_LONGER_AVAILABLE]


# A slot that fills up before the payment


def reach_payment(client, market, point, slot, product) -> Checkout:
    fill_basket(client, market, (product, 2))
    checkout = give_contact(client)
    client.post(FULFILMENT, {"pickup": f"{point.pk}-{slot.pk}"})
    response = client.post(REVIEW, {"terms": "on"})
    assert response["Location"] == pay_url(checkout)
    return checkout


def test_a_live_hold_keeps_its_place_until_the_payment(client, market, point):
    # given a shopper on the payment page holding the last place
    slot = PickupSlotFactory(point=point, capacity=1)
    checkout = reach_payment(client, market, point, slot, product_in_market(market, stock=5))

    # when another shopper confirms the same slot
    rival = reserved_checkout(market, [(product_in_market(market), 1)],
                              session_key="rival", reserve=False)
    choose_slot(rival, slot)
    refused = checkout_reserve(checkout=rival)

    # then the other is told the slot is full, and the first one pays
    assert refused.slot_full == slot
    response = client.post(pay_url(checkout), card())
    assert response.status_code == 302
    assert Order.objects.get(checkout=checkout).pickup_slot_id == slot.pk
    assert slot_bookings([slot.pk]) == {slot.pk: 1}


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_slot_taken_after_the_hold_expired_sends_the_shopper_to_choose_another(
        client, market, point, method):
    # given a shopper on the payment page whose hold expired, and the last place taken
    slot = PickupSlotFactory(point=point, capacity=1)
    later = PickupSlotFactory(point=point, starts_at=slot.starts_at + timedelta(hours=2),
                              ends_at=slot.ends_at + timedelta(hours=2))
    product = product_in_market(market, stock=5)
    checkout = reach_payment(client, market, point, slot, product)
    Reservation.objects.filter(checkout=checkout).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    full(slot)

    # when the shopper opens the payment page or pays
    data = card() if method == "post" else None
    response = getattr(client, method)(pay_url(checkout), data, follow=True)

    # then nothing is charged, the slot is not overbooked, and the shopper chooses again
    assert response.redirect_chain[-1][0] == FULFILMENT
    html = response.content.decode()
    assert "le créneau de retrait choisi est désormais complet" in html
    assert f'value="{point.pk}-{slot.pk}"' not in html
    assert f'value="{point.pk}-{later.pk}"' in html
    assert not Payment.objects.filter(checkout=checkout,
                                      state=Payment.State.SUCCEEDED).exists()
    assert not Order.objects.filter(checkout=checkout).exists()
    assert slot_bookings([slot.pk]) == {slot.pk: 1}
    assert CartLine.objects.get(product=product).quantity == 2

    # and with another slot the basket goes on to the payment
    client.post(FULFILMENT, {"pickup": f"{point.pk}-{later.pk}"})
    assert client.post(REVIEW, {"terms": "on"})["Location"] == pay_url(checkout)
    assert client.post(pay_url(checkout), card()).status_code == 302
    assert Order.objects.get(checkout=checkout).pickup_slot_id == later.pk


def test_the_payment_page_precheck_sends_a_full_slot_back_to_the_fulfilment_step(
        client, market, point):
    slot = PickupSlotFactory(point=point, capacity=1)
    checkout = reach_payment(client, market, point, slot, product_in_market(market, stock=5))
    assert client.get(pay_url(checkout)).status_code == 200
    Reservation.objects.filter(checkout=checkout).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    full(slot)

    response = client.post(reverse("payments:precheck", args=[checkout.reference]))

    assert response.json()["ok"] is False
    assert response.json()["redirect"] == FULFILMENT
    assert "désormais complet" in response.json()["message"]


# A slot deleted by the organiser while nobody held it


def test_a_slot_deleted_before_the_review_is_not_ordered_without_a_slot(client, market, point):
    # given a shopper who chose a slot, not held yet, which the organiser then deletes
    slot = PickupSlotFactory(point=point)
    later = PickupSlotFactory(point=point, starts_at=slot.starts_at + timedelta(hours=2),
                              ends_at=slot.ends_at + timedelta(hours=2))
    fill_basket(client, market, (product_in_market(market), 1))
    checkout = give_contact(client)
    client.post(FULFILMENT, {"pickup": f"{point.pk}-{slot.pk}"})
    pickup_slot_delete(slot=slot)

    # when the shopper confirms the review
    response = client.post(REVIEW, {"terms": "on"}, follow=True)

    # then back to the pick-up choice, nothing held, told why
    assert response.redirect_chain[-1][0] == FULFILMENT
    assert "plus proposé" in response.content.decode()
    assert f'value="{point.pk}-{later.pk}"' in response.content.decode()
    assert not Reservation.objects.filter(checkout=checkout).exists()
    assert Checkout.objects.get(pk=checkout.pk).state == Checkout.State.OPEN


def test_a_slot_deleted_after_the_hold_expired_is_not_paid_without_a_slot(client, market, point):
    # given a shopper on the payment page whose hold expired, and the slot then deleted
    slot = PickupSlotFactory(point=point)
    later = PickupSlotFactory(point=point, starts_at=slot.starts_at + timedelta(hours=2),
                              ends_at=slot.ends_at + timedelta(hours=2))
    checkout = reach_payment(client, market, point, slot, product_in_market(market, stock=5))
    Reservation.objects.filter(checkout=checkout).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    pickup_slot_delete(slot=slot)

    # when the shopper pays
    response = client.post(pay_url(checkout), card(), follow=True)

    # then nothing is charged and the shopper chooses another slot
    assert response.redirect_chain[-1][0] == FULFILMENT
    assert "plus proposé" in response.content.decode()
    assert not Order.objects.filter(checkout=checkout).exists()
    assert not Payment.objects.filter(checkout=checkout,
                                      state=Payment.State.SUCCEEDED).exists()
    client.post(FULFILMENT, {"pickup": f"{point.pk}-{later.pk}"})
    assert client.post(REVIEW, {"terms": "on"})["Location"] == pay_url(checkout)

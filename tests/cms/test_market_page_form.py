"""The market page form: a pick-up point that orders or baskets name, directly or through
one of its slots, cannot be taken off the market (the orders still say where and when to
collect them); an unused one can, with its unbooked slots."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from markets.fields import percent_text
from markets.models import PickupPoint, PickupSlot
from markets.pickup import slot_bookings
from shop.checkout.services import checkout_reserve
from shop.models import CheckoutFulfilment, Order
from shop.orders.completion import checkout_complete
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    PickupSlotFactory,
    ProductFactory,
    choose_slot,
    paid_order,
    product_in_market,
    reserved_checkout,
)

pytestmark = pytest.mark.django_db


def edit_data(market, *, delete: PickupPoint) -> dict:
    points = [
        {"id": point.pk, "name": point.name, "address": point.address,
         "postcode": point.postcode, "city": point.city, "opening_hours": "",
         "ORDER": index, "DELETE": "on" if point.pk == delete.pk else ""}
        for index, point in enumerate(market.pickup_points.order_by("sort_order", "pk"))
    ]
    return nested_form_data({
        "title": market.title, "slug": market.slug, "intro": rich_text(""),
        "opens_at": market.opens_at.strftime("%Y-%m-%d %H:%M"),
        "closes_at": market.closes_at.strftime("%Y-%m-%d %H:%M"),
        "commission_bps": percent_text(market.commission_bps),
        "participations": inline_formset([]),
        "pickup_points": inline_formset(points, initial=len(points)),
        "action-publish": "publish",
    })


def test_a_pick_up_point_named_by_orders_stays_on_the_market(admin_client):
    market = MarketPageFactory()
    used = PickupPointFactory(market=market, name="Halle Sud")
    PickupPointFactory(market=market, name="Quai des Antilles")
    order = paid_order(ProductFactory(), market=market, pickup_point=used)

    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[market.pk]),
                                 edit_data(market, delete=used))

    assert response.status_code == 200
    assert "Halle Sud" in response.content.decode()
    assert "commandes" in response.content.decode()
    assert PickupPoint.objects.filter(pk=used.pk).exists()
    assert Order.objects.get(pk=order.pk).pickup_point_id == used.pk


def test_an_unused_pick_up_point_is_taken_off(admin_client):
    market = MarketPageFactory()
    PickupPointFactory(market=market, name="Halle Sud")
    unused = PickupPointFactory(market=market, name="Quai des Antilles")

    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[market.pk]),
                                 edit_data(market, delete=unused))

    assert response.status_code == 302
    assert not PickupPoint.objects.filter(pk=unused.pk).exists()


def slot_held(point, *, paid: bool):
    """A slot at `point` held by a basket, awaiting payment or paid."""
    market = point.market
    slot = PickupSlotFactory(point=point, capacity=3)
    checkout = reserved_checkout(market, [(product_in_market(market), 1)],
                                 session_key=f"held-{slot.pk}", reserve=False)
    choose_slot(checkout, slot)
    assert checkout_reserve(checkout=checkout).ok
    if paid:
        checkout_complete(checkout=checkout, payment_reference=f"pay-{checkout.pk}")
    return slot, checkout


@pytest.mark.parametrize("paid", [False, True], ids=["awaiting payment", "paid"])
def test_a_pick_up_point_whose_slot_is_booked_stays_with_its_slot(admin_client, paid):
    # given a point whose slot a basket holds, and another point
    market = MarketPageFactory()
    used = PickupPointFactory(market=market, name="Halle Sud")
    PickupPointFactory(market=market, name="Quai des Antilles")
    slot, checkout = slot_held(used, paid=paid)

    # when the organiser takes the point off the market page
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[market.pk]),
                                 edit_data(market, delete=used))

    # then the form says why, and the point, its slot and the booking are all kept
    assert response.status_code == 200
    assert "« Halle Sud » est le lieu de retrait de commandes" in response.content.decode()
    assert PickupSlot.objects.filter(pk=slot.pk, point=used).exists()
    assert slot_bookings([slot.pk]) == {slot.pk: 1}
    assert set(CheckoutFulfilment.objects.filter(checkout=checkout)
               .values_list("pickup_point_id", "pickup_slot_id")) == {(used.pk, slot.pk)}
    assert [order.pickup_slot_id for order in Order.objects.filter(checkout=checkout)] == (
        [slot.pk] if paid else [])


def test_a_pick_up_point_with_only_unbooked_slots_goes_with_its_slots(admin_client):
    market = MarketPageFactory()
    PickupPointFactory(market=market, name="Halle Sud")
    unused = PickupPointFactory(market=market, name="Quai des Antilles")
    PickupSlotFactory(point=unused)

    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[market.pk]),
                                 edit_data(market, delete=unused))

    assert response.status_code == 302
    assert not PickupPoint.objects.filter(pk=unused.pk).exists()
    assert not PickupSlot.objects.filter(point_id=unused.pk).exists()


def test_the_database_refuses_to_delete_a_point_whose_slot_orders_name():
    market = MarketPageFactory()
    point = PickupPointFactory(market=market)
    slot, checkout = slot_held(point, paid=True)

    with pytest.raises(ProtectedError):
        point.delete()

    assert Order.objects.get(checkout=checkout).pickup_slot_id == slot.pk

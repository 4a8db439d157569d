"""One pick-up choice for the whole basket, slots with room, the capacity held from the
reservation to the payment, and the lists that gather the orders per slot."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from markets.pickup import slot_bookings
from markets.services import organiser_member_add
from payments.services import payment_precheck
from shop.checkout.services import checkout_hold, checkout_reserve
from shop.models import CartLine, Checkout, CheckoutFulfilment, Order
from shop.orders.completion import checkout_complete
from shop.orders.selectors import order_page_url
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    PickupPointFactory,
    PickupSlotFactory,
    UserFactory,
    VendorFactory,
    choose_slot,
    product_in_market,
    reserved_checkout,
)
from tests.shop.test_views_checkout import FULFILMENT, REVIEW, fill_basket, give_contact

pytestmark = pytest.mark.django_db


def full(slot, *, baskets=None):
    """Fill `slot` with other shoppers' live reservations."""
    market = slot.point.market
    for n in range(baskets or slot.capacity):
        checkout = reserved_checkout(market, [(product_in_market(market), 1)],
                                     session_key=f"other-{slot.pk}-{n}", reserve=False)
        choose_slot(checkout, slot)
        assert checkout_reserve(checkout=checkout).ok


@pytest.fixture
def market():
    return MarketPageFactory(shipping_allowed=True)


@pytest.fixture
def point(market):
    return PickupPointFactory(market=market, name="Halle aux Toiles")


def test_three_sellers_one_pick_up_choice(client, market, point):
    # given a basket of three sellers, one of whom ships
    slot = PickupSlotFactory(point=point, capacity=3)
    shipper = VendorFactory(ships=True, shipping_fee_cents=500)
    products = [product_in_market(market), product_in_market(market),
                product_in_market(market, vendor=shipper)]
    fill_basket(client, market, *[(product, 1) for product in products])
    checkout = give_contact(client)

    # when
    page = client.get(FULFILMENT)
    response = client.post(FULFILMENT, {"pickup": f"{point.pk}-{slot.pk}",
                                        f"method_{shipper.pk}": "pickup"})

    # then one question, by point and day, with the places left
    html = page.content.decode()
    assert html.count('name="pickup"') == 1
    assert html.count("<legend>Où et quand retirez-vous votre commande ?</legend>") == 1
    assert "3 places" in html
    assert [f'name="method_{product.vendor_id}"' in html for product in products] == [
        False, False, True]
    assert response["Location"] == REVIEW
    rows = CheckoutFulfilment.objects.filter(checkout=checkout)
    assert {(row.pickup_point_id, row.pickup_slot_id) for row in rows} == {(point.pk, slot.pk)}
    assert rows.count() == 3
    assert slot.hours_label in client.get(REVIEW).content.decode()


def test_the_only_point_is_preselected(client, market, point):
    fill_basket(client, market, (product_in_market(market), 1))
    give_contact(client)

    form = client.get(FULFILMENT).context["form"]

    assert form["pickup"].value() == str(point.pk)


def test_full_and_past_slots_are_not_offered(client, market, point):
    # given
    open_slot = PickupSlotFactory(point=point, capacity=2)
    taken = PickupSlotFactory(point=point, capacity=1,
                              starts_at=open_slot.starts_at + timedelta(hours=1),
                              ends_at=open_slot.ends_at + timedelta(hours=1))
    past = PickupSlotFactory(point=point, starts_at=timezone.now() - timedelta(hours=2),
                             ends_at=timezone.now() - timedelta(hours=1))
    full(taken)
    fill_basket(client, market, (product_in_market(market), 1))
    give_contact(client)

    # when
    page = client.get(FULFILMENT)
    posted = client.post(FULFILMENT, {"pickup": f"{point.pk}-{taken.pk}"})

    # then
    html = page.content.decode()
    assert f'value="{point.pk}-{open_slot.pk}"' in html
    assert f'value="{point.pk}-{taken.pk}"' not in html
    assert f'value="{point.pk}-{past.pk}"' not in html
    assert f'value="{point.pk}"' not in html  # a point with slots is chosen with one
    assert posted.context["form"].errors["pickup"] == [
        "Ce créneau de retrait n'est plus disponible : choisissez-en un autre."]


def test_a_slot_filled_meanwhile_is_refused_at_the_reservation(client, market, point):
    # given a shopper who chose the last place, taken by another before confirming
    slot = PickupSlotFactory(point=point, capacity=1)
    product = product_in_market(market, stock=5)
    fill_basket(client, market, (product, 2))
    checkout = give_contact(client)
    client.post(FULFILMENT, {"pickup": f"{point.pk}-{slot.pk}"})
    full(slot)

    # when
    response = client.post(REVIEW, {"terms": "on"}, follow=True)

    # then back to the fulfilment step, nothing reserved, the basket as it was
    assert response.redirect_chain[-1][0] == FULFILMENT
    assert any("vient d'être complet" in str(message)
               for message in response.context["messages"])
    checkout.refresh_from_db()
    assert checkout.state == Checkout.State.OPEN
    assert not checkout.reservations.exists()
    assert CartLine.objects.get(product=product).quantity == 2
    assert slot_bookings([slot.pk]) == {slot.pk: 1}


def test_a_hold_counts_until_it_expires_and_a_payment_keeps_it(market, point):
    slot = PickupSlotFactory(point=point, capacity=1)
    checkout = reserved_checkout(market, [(product_in_market(market), 1)],
                                 session_key="first", reserve=False)
    choose_slot(checkout, slot)
    assert checkout_reserve(checkout=checkout).ok
    later = timezone.now() + timedelta(hours=1)

    assert slot_bookings([slot.pk]) == {slot.pk: 1}
    assert checkout_hold(checkout=checkout, now=later).ok  # expired, free: held again

    checkout_complete(checkout=checkout, payment_reference="pay")
    assert slot_bookings([slot.pk]) == {slot.pk: 1}
    assert Order.objects.get(checkout=checkout).pickup_slot_id == slot.pk


def test_the_payment_step_refuses_a_slot_filled_after_the_hold_expired(market, point):
    slot = PickupSlotFactory(point=point, capacity=1)
    checkout = reserved_checkout(market, [(product_in_market(market), 1)],
                                 session_key="late", reserve=False)
    choose_slot(checkout, slot)
    assert checkout_reserve(checkout=checkout).ok
    checkout.reservations.update(expires_at=timezone.now() - timedelta(minutes=1))
    full(slot)

    refusal = payment_precheck(checkout=checkout)

    assert "créneau de retrait choisi est désormais complet" in refusal


def test_a_late_payment_keeps_its_slot_and_shows_it_over_capacity(client, market, point):
    # given a hold that expired while another shopper took the last place
    slot = PickupSlotFactory(point=point, capacity=1)
    checkout = reserved_checkout(market, [(product_in_market(market), 1)],
                                 session_key="late", reserve=False)
    choose_slot(checkout, slot)
    assert checkout_reserve(checkout=checkout).ok
    checkout.reservations.update(expires_at=timezone.now() - timedelta(minutes=1))
    full(slot)

    # when the payment still comes through
    result = checkout_complete(checkout=checkout, payment_reference="pay-late")

    # then the order keeps the slot, and the slot is over capacity for the organiser
    assert [order.pickup_slot_id for order in result.orders] == [slot.pk]
    assert slot_bookings([slot.pk]) == {slot.pk: 2}


def test_a_market_without_slots_keeps_the_point_alone(market, point):
    checkout = reserved_checkout(market, [(product_in_market(market), 1)], session_key="s")

    checkout_complete(checkout=checkout, payment_reference="pay")

    order = Order.objects.get(checkout=checkout)
    assert (order.pickup_point_id, order.pickup_slot_id) == (point.pk, None)


# Lists


def paid_at(slot, last_name, vendors):
    market = slot.point.market
    checkout = reserved_checkout(
        market, [(product_in_market(market, vendor=vendor, stock=5), 2) for vendor in vendors],
        session_key=f"{last_name}-{slot.pk}", reserve=False, last_name=last_name)
    choose_slot(checkout, slot)
    assert checkout_reserve(checkout=checkout).ok
    checkout_complete(checkout=checkout, payment_reference=f"pay-{checkout.pk}")
    return checkout


@pytest.fixture
def organiser_space():
    index = MarketIndexPageFactory(title="Réseau un")
    user = UserFactory(username="orga-un")
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    market = MarketPageFactory(parent=index, title="Marché un")
    return user, market


def test_the_organiser_prints_the_market_list_per_point_and_slot(
        client, organiser_space, django_assert_max_num_queries):
    # given
    user, market = organiser_space
    point = PickupPointFactory(market=market, name="Halle aux Toiles")
    morning = PickupSlotFactory(point=point, capacity=4)
    noon = PickupSlotFactory(point=point, starts_at=morning.starts_at + timedelta(hours=2),
                             ends_at=morning.ends_at + timedelta(hours=2))
    vendors = [VendorFactory(name="Ressourcerie"), VendorFactory(name="Épicerie")]
    for n in range(3):
        paid_at(morning, f"Matin{n}", vendors)
    paid_at(noon, "Midi", vendors[:1])
    client.force_login(user)
    url = reverse("markets_pickup_list", args=[market.pk])
    client.get(url)

    # when
    with django_assert_max_num_queries(25):
        response = client.get(url)

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Halle aux Toiles" in html
    assert "3 acheteurs / 4" in html and "6 commandes" in html
    assert "1 acheteur / 8" in html
    assert html.index("Matin0") < html.index("Midi")
    assert "Ressourcerie" in html and "Épicerie" in html


def test_the_market_list_does_not_grow_with_the_orders(client, organiser_space,
                                                        django_assert_max_num_queries):
    user, market = organiser_space
    slot = PickupSlotFactory(point=PickupPointFactory(market=market))
    vendor = VendorFactory()
    client.force_login(user)
    url = reverse("markets_pickup_list", args=[market.pk])
    paid_at(slot, "Un", [vendor])
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for n in range(5):
        paid_at(slot, f"Autre{n}", [vendor])

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_another_organiser_gets_a_404_for_the_market_list(client, organiser_space):
    _user, market = organiser_space
    other = MarketIndexPageFactory(title="Réseau deux")
    stranger = UserFactory(username="orga-deux")
    organiser_member_add(organiser=other.organiser, user=stranger, index_page=other)
    client.force_login(stranger)

    response = client.get(reverse("markets_pickup_list", args=[market.pk]))
    chooser = client.get(reverse("markets_pickup_list_choose"))

    assert response.status_code == 404
    assert "Marché un" not in chooser.content.decode()


def test_the_vendor_list_is_grouped_per_slot(client, market, point, vendor_a,
                                             django_assert_max_num_queries):
    # given
    vendor, user = vendor_a.vendor, vendor_a.user
    early = PickupSlotFactory(point=point)
    late = PickupSlotFactory(point=point, starts_at=early.starts_at + timedelta(hours=3),
                             ends_at=early.ends_at + timedelta(hours=3))
    paid_at(late, "Tardif", [vendor])
    paid_at(early, "Matinal", [vendor])
    client.force_login(user)
    url = reverse("shop_order_admin:pickup_list")
    client.get(url, {"pickup_point": point.pk})

    # when
    with django_assert_max_num_queries(30):
        response = client.get(url, {"pickup_point": point.pk})

    # then
    html = response.content.decode()
    assert html.index(early.hours_label) < html.index("Matinal") < html.index(
        late.hours_label) < html.index("Tardif")


def test_the_confirmation_page_shows_point_and_slot(client, market, point):
    slot = PickupSlotFactory(point=point)
    checkout = paid_at(slot, "Durand", [VendorFactory()])
    order = checkout.orders.get()

    html = client.get(order_page_url(checkout, absolute=False)).content.decode()

    assert "Halle aux Toiles" in html
    assert slot.hours_label in html
    assert order.pickup_slot_id == slot.pk

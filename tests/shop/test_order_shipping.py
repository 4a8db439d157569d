"""Shipping an order: a confirmation page first, then the shopper's e-mail with the
tracking number and the carrier's tracking link, sent once."""

import pytest
from django.core import mail
from django.urls import reverse

from outbox.models import OutboxMessage
from shop.models import Order
from shop.orders.tracking import Carrier, tracking_url
from tests.factories import paid_order

pytestmark = pytest.mark.django_db

NS = "shop_order_admin"


@pytest.mark.parametrize(("carrier", "expected"), [
    (Carrier.COLISSIMO, "https://www.laposte.fr/outils/suivre-vos-envois?code=6A0042"),
    (Carrier.MONDIAL_RELAY,
     "https://www.mondialrelay.fr/suivi-de-colis/?NumeroExpedition=6A0042"),
    (Carrier.CHRONOPOST,
     "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT=6A0042"),
    (Carrier.DPD, "https://trace.dpd.fr/fr/trace/6A0042"),
    (Carrier.GLS, "https://gls-group.com/FR/fr/suivi-colis?match=6A0042"),
    (Carrier.UPS, "https://www.ups.com/track?loc=fr_FR&tracknum=6A0042"),
    (Carrier.DHL, "https://www.dhl.com/fr-fr/home/suivi.html?tracking-id=6A0042"),
    (Carrier.OTHER, ""),
    ("", ""),
])
def test_each_known_carrier_has_its_tracking_page(carrier, expected):
    assert tracking_url(carrier, " 6A0042 ") == expected


def test_a_tracking_number_cannot_break_out_of_the_link():
    assert tracking_url(Carrier.DPD, "12/../?x=1 &y") == (
        "https://trace.dpd.fr/fr/trace/12%2F..%2F%3Fx%3D1%20%26y")


@pytest.fixture
def shipped_order(vendor_a):
    vendor_a.vendor.ships = True
    vendor_a.vendor.save(update_fields=["ships"])
    return paid_order(vendor_a.product, shipping_vendors=[vendor_a.vendor])


def test_marking_shipped_first_shows_what_will_happen(
    client, vendor_a, shipped_order, django_assert_max_num_queries
):
    client.force_login(vendor_a.user)
    url = reverse(f"{NS}:mark_fulfilled", args=[shipped_order.pk])

    # Session, user, the order in the vendor's scope, and the admin's menu and sidebar.
    with django_assert_max_num_queries(25):
        response = client.get(url, {"carrier": "colissimo", "tracking_number": "6A0042"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "https://www.laposte.fr/outils/suivre-vos-envois?code=6A0042" in html
    assert 'method="post"' in html
    assert Order.objects.get(pk=shipped_order.pk).state == Order.State.PAID
    assert not mail.outbox


def test_shipping_without_a_tracking_number_is_a_message(client, vendor_a, shipped_order):
    client.force_login(vendor_a.user)
    url = reverse(f"{NS}:mark_fulfilled", args=[shipped_order.pk])

    response = client.get(url, {"carrier": "dpd", "tracking_number": " "}, follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Order.objects.get(pk=shipped_order.pk).state == Order.State.PAID


def test_an_unknown_carrier_is_a_message_not_an_error(client, vendor_a, shipped_order):
    client.force_login(vendor_a.user)
    url = reverse(f"{NS}:mark_fulfilled", args=[shipped_order.pk])

    response = client.post(url, {"carrier": "pigeon", "tracking_number": "1"}, follow=True)

    assert response.status_code == 200
    assert Order.objects.get(pk=shipped_order.pk).state == Order.State.PAID


def test_the_shopper_gets_the_tracking_link_once(
    client, vendor_a, shipped_order, django_capture_on_commit_callbacks
):
    client.force_login(vendor_a.user)
    url = reverse(f"{NS}:mark_fulfilled", args=[shipped_order.pk])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"carrier": "mondial_relay", "tracking_number": "MR 77"})
        client.post(url, {"carrier": "mondial_relay", "tracking_number": "MR 77"})

    assert response.status_code == 302
    order = Order.objects.get(pk=shipped_order.pk)
    assert (order.state, order.carrier, order.tracking_number) == (
        Order.State.FULFILLED, Carrier.MONDIAL_RELAY, "MR 77")
    assert order.shipped_email_sent_at is not None
    [message] = mail.outbox
    assert message.to == ["acheteuse@example.org"]
    assert order.number in message.subject
    link = "https://www.mondialrelay.fr/suivi-de-colis/?NumeroExpedition=MR%2077"
    assert link in message.body
    assert link in message.alternatives[0][0]
    assert OutboxMessage.objects.filter(key=f"order-shipped-{order.pk}").count() == 1


def test_the_shipped_email_task_run_twice_sends_once(
    vendor_a, shipped_order, django_capture_on_commit_callbacks
):
    from shop.orders.services import order_mark_fulfilled
    from shop.tasks import send_order_shipped_email

    with django_capture_on_commit_callbacks(execute=True):
        order_mark_fulfilled(order=shipped_order, tracking_number="XY1", carrier="")
    assert len([m for m in mail.outbox if "XY1" in m.body]) == 1
    mail.outbox.clear()

    assert send_order_shipped_email(shipped_order.pk) == 0
    assert not mail.outbox
    assert "XY1" in Order.objects.get(pk=shipped_order.pk).tracking_number


def test_an_unknown_carrier_sends_the_number_alone(
    vendor_a, shipped_order, django_capture_on_commit_callbacks
):
    from shop.orders.services import order_mark_fulfilled

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_fulfilled(order=shipped_order, tracking_number="LOCAL-9", carrier="other")

    [message] = mail.outbox
    assert "LOCAL-9" in message.body
    assert "http" not in message.body.split("LOCAL-9")[1].split("\n\n")[0]


def test_a_picked_up_order_sends_no_shipping_email(client, vendor_a):
    order = paid_order(vendor_a.product)
    client.force_login(vendor_a.user)
    mail.outbox.clear()

    confirm = client.get(reverse(f"{NS}:mark_fulfilled", args=[order.pk]))
    client.post(reverse(f"{NS}:mark_fulfilled", args=[order.pk]))

    assert confirm.status_code == 200
    assert Order.objects.get(pk=order.pk).state == Order.State.FULFILLED
    assert not [m for m in mail.outbox if "expédiée" in m.subject]


def test_the_shoppers_order_page_links_to_the_carrier(client, shipped_order):
    from shop.orders.selectors import order_page_url
    from shop.orders.services import order_mark_fulfilled

    order_mark_fulfilled(order=shipped_order, tracking_number="6A0042", carrier="colissimo")

    html = client.get(order_page_url(shipped_order.checkout, absolute=False)).content.decode()

    assert "La Poste / Colissimo" in html
    assert 'href="https://www.laposte.fr/outils/suivre-vos-envois?code=6A0042"' in html

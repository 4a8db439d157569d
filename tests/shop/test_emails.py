"""E-mails after payment: what they say, and that each one goes out once."""

import pytest
from django.core import mail
from django.urls import reverse

from shop.models import Checkout, Order
from shop.orders.emails import checkout_emails_send, order_ready_email_send, order_refund_email_send
from shop.orders.selectors import order_link_token
from shop.orders.services import order_lines_cancel
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    ProductFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    paid_checkout,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkout():
    """Two vendors: one at a pick-up point, one shipping; a project and a donation."""
    market = MarketPageFactory(title="Marché de Noël de Rezé")
    project = SolidarityProjectPageFactory(title="Épicerie solidaire")
    point = PickupPointFactory(market=market, name="Halle de la Trocardière",
                               opening_hours="Samedi 10 h – 18 h")
    ressourcerie = VendorFactory(name="La Ressourcerie", email="ressourcerie@example.org")
    atelier = VendorFactory(name="Atelier Vélo", email="atelier@example.org", ships=True,
                            shipping_fee_cents=590)
    teapot = ProductFactory(vendor=ressourcerie, title="Théière émaillée", price_cents=1200,
                            solidarity_bps=1000, solidarity_project=project)
    bell = ProductFactory(vendor=atelier, title="Sonnette laiton", price_cents=800)
    return paid_checkout([(teapot, 1), (bell, 1)], market=market, pickup_point=point,
                         shipping_vendors=[atelier], chosen_project=project, donation_cents=300)


def by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def html_of(message) -> str:
    return message.alternatives[0][0]


def test_the_shopper_and_each_vendor_get_one_message(checkout):
    sent = checkout_emails_send(checkout_id=checkout.pk)

    assert sent == 3
    assert set(by_recipient()) == {
        "acheteuse@example.org", "ressourcerie@example.org", "atelier@example.org",
    }


def test_the_confirmation_tells_items_fulfilment_projects_and_the_link(checkout):
    checkout_emails_send(checkout_id=checkout.pk)

    message = by_recipient()["acheteuse@example.org"]
    link = "http://127.0.0.1:8000" + reverse("shop_orders:order_page",
                                            args=[order_link_token(checkout)])
    assert checkout.reference in message.subject
    for body in (message.body, html_of(message)):
        assert "La Ressourcerie" in body and "Atelier Vélo" in body
        assert "Théière émaillée" in body and "Sonnette laiton" in body
        assert "12,00\u00a0€" in body
        assert "5,90\u00a0€" in body  # shipping
        assert "Halle de la Trocardière" in body
        assert "Samedi 10 h – 18 h" in body
        assert "3 rue des Lilas" in body
        assert "Épicerie solidaire" in body
        assert "4,20\u00a0€" in body  # 1,20 € of the teapot + the 3,00 € donation
        assert link in body


def test_the_text_version_is_not_html_escaped(checkout):
    Checkout.objects.filter(pk=checkout.pk).update(first_name="Zoé & Léa")

    checkout_emails_send(checkout_id=checkout.pk)

    assert "Zoé & Léa" in by_recipient()["acheteuse@example.org"].body


def test_the_vendor_notice_has_its_items_fulfilment_and_back_office_link(checkout):
    checkout_emails_send(checkout_id=checkout.pk)

    order = checkout.orders.get(vendor__name="La Ressourcerie")
    message = by_recipient()["ressourcerie@example.org"]
    assert order.number in message.subject
    assert "Théière émaillée" in message.body
    assert "Sonnette laiton" not in message.body
    assert "Halle de la Trocardière" in message.body
    assert "Léa Durand" in message.body
    assert reverse("shop_order_admin:inspect", args=[order.pk]) in message.body
    assert message.reply_to == ["acheteuse@example.org"]


def test_running_the_sender_twice_sends_each_message_once(checkout):
    first = checkout_emails_send(checkout_id=checkout.pk)
    second = checkout_emails_send(checkout_id=checkout.pk)

    assert (first, second) == (3, 0)
    assert len(mail.outbox) == 3
    checkout.refresh_from_db()
    assert checkout.confirmation_sent_at is not None
    assert not checkout.orders.filter(vendor_notified_at__isnull=True).exists()


def test_only_what_was_not_sent_goes_out_on_a_retry(checkout):
    Checkout.objects.filter(pk=checkout.pk).update(confirmation_sent_at="2026-11-28T10:00Z")
    checkout.orders.filter(vendor__name="La Ressourcerie").update(
        vendor_notified_at="2026-11-28T10:00Z"
    )

    sent = checkout_emails_send(checkout_id=checkout.pk)

    assert sent == 1
    assert [message.to for message in mail.outbox] == [["atelier@example.org"]]


def test_a_failed_send_is_not_marked_and_is_retried(checkout, monkeypatch):
    import shop.orders.emails

    def broken(**kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(shop.orders.emails, "send_templated_email", broken)
    with pytest.raises(ConnectionError):
        checkout_emails_send(checkout_id=checkout.pk)
    monkeypatch.undo()

    checkout.refresh_from_db()
    assert checkout.confirmation_sent_at is None
    assert checkout_emails_send(checkout_id=checkout.pk) == 3


def test_the_task_queued_by_the_payment_sends_the_messages(django_capture_on_commit_callbacks):
    product = ProductFactory(price_cents=900)

    with django_capture_on_commit_callbacks(execute=True):
        checkout = paid_checkout([(product, 1)])

    assert len(mail.outbox) == 2
    assert Checkout.objects.get(pk=checkout.pk).confirmation_sent_at is not None


def test_the_ready_message_names_the_pickup_point(checkout):
    order = checkout.orders.get(vendor__name="La Ressourcerie")

    order_ready_email_send(order_id=order.pk)

    message = mail.outbox[0]
    assert message.to == ["acheteuse@example.org"]
    assert order.number in message.subject
    assert "Halle de la Trocardière" in message.body
    assert "Halle de la Trocardière" in html_of(message)
    assert message.reply_to == ["ressourcerie@example.org"]


def test_the_refund_message_gives_the_amount_and_what_is_left(checkout):
    order = checkout.orders.get(vendor__name="Atelier Vélo")
    order_lines_cancel(order=order, quantities={order.lines.get().pk: 1})
    order.refresh_from_db()
    assert order.state == Order.State.REFUNDED

    order_refund_email_send(order_id=order.pk, amount_cents=1390)

    message = mail.outbox[0]
    assert "13,90 €" in message.subject
    assert "13,90\u00a0€" in message.body

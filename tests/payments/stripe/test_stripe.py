"""The Stripe gateway and its webhooks, against localstripe."""

import contextlib
import json
import time

import pytest
import stripe
from django.core import mail

from payments.gateways import get_gateway
from payments.models import Payment, Refund, Transfer, WebhookEvent
from payments.refunds import payment_refund
from shop.models import Checkout, Order

from .conftest import CONNECT_WEBHOOK_SECRET, WEBHOOK_SECRET

pytestmark = pytest.mark.django_db

WEBHOOK_URL = "/payments/stripe/webhook/"
CONNECT_WEBHOOK_URL = "/payments/stripe/connect-webhook/"
ACCEPTED_CARD = "pm_card_visa"
DECLINED_CARD = "pm_card_chargeCustomerFail"  # localstripe declines 4000000000000341


def open_payment_page(shop) -> Payment:
    response = shop.client.get(shop.pay_url)
    assert response.status_code == 200
    return Payment.objects.filter(checkout=shop.checkout).latest("pk")


def shopper_pays(stripe_api, payment: Payment, card: str = ACCEPTED_CARD):
    """What the Payment Element does in the browser."""
    stripe_api.v1.payment_intents.update(payment.external_id, params={"payment_method": card})
    with contextlib.suppress(stripe.CardError):  # a declined card
        stripe_api.v1.payment_intents.confirm(payment.external_id)
    return stripe_api.v1.payment_intents.retrieve(payment.external_id)


_event_ids = iter(range(1, 1_000_000))


def event_payload(event_type: str, obj, *, event_id: str | None = None) -> str:
    data = obj.to_dict() if hasattr(obj, "to_dict") else obj
    return json.dumps({
        "id": event_id or f"evt_test_{time.time_ns()}_{next(_event_ids)}",
        "object": "event", "type": event_type, "api_version": "2024-06-20",
        "created": int(time.time()), "livemode": False, "data": {"object": data},
    })


def deliver(client, payload: str, *, secret: str = WEBHOOK_SECRET, url: str = WEBHOOK_URL,
            signature: str | None = None, callbacks=None):
    headers = {}
    if signature is None:
        signature = stripe.WebhookSignature.generate_signature_header(payload, secret)
    if signature:
        headers["HTTP_STRIPE_SIGNATURE"] = signature
    with callbacks(execute=True):
        return client.post(url, payload, content_type="application/json", **headers)


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def _send(payload, **kwargs):
        return deliver(client, payload, callbacks=django_capture_on_commit_callbacks, **kwargs)

    return _send


def test_get_gateway_is_stripe_when_the_secret_key_is_set(stripe_settings):
    assert get_gateway().name == "stripe"


def test_the_payment_page_creates_one_payment_intent_for_the_checkout_total(
    stripe_shop, stripe_api
):
    payment = open_payment_page(stripe_shop)
    open_payment_page(stripe_shop)

    assert Payment.objects.filter(checkout=stripe_shop.checkout).count() == 1
    intent = stripe_api.v1.payment_intents.retrieve(payment.external_id)
    assert payment.gateway == "stripe"
    assert payment.external_id.startswith("pi_")
    assert intent.amount == payment.amount_cents == stripe_shop.checkout.total_cents == 8200
    assert intent.currency == "eur"
    assert intent.metadata.to_dict() == {"checkout_reference": stripe_shop.checkout.reference,
                                         "checkout_id": str(stripe_shop.checkout.pk),
                                         "payment_id": str(payment.pk)}


def test_the_payment_page_mounts_the_payment_element_with_stripe_js(stripe_shop, stripe_api):
    response = stripe_shop.client.get(stripe_shop.pay_url)
    payment = Payment.objects.get(checkout=stripe_shop.checkout)
    intent = stripe_api.v1.payment_intents.retrieve(payment.external_id)

    html = response.content.decode()
    assert 'src="https://js.stripe.com/v3/"' in html
    assert "/static/payments/stripe-payment.js" in html
    assert f'data-client-secret="{intent.client_secret}"' in html
    assert 'data-publishable-key="pk_test_localstripe"' in html
    assert f'data-return-url="http://testserver{stripe_shop.return_url}"' in html
    assert "<noscript>" in html
    assert "Démonstration" not in html
    assert "<script>" not in html  # no inline script


def test_only_the_payment_page_allows_stripe_in_its_content_security_policy(stripe_shop):
    policy = stripe_shop.client.get(stripe_shop.pay_url)["Content-Security-Policy"]
    market_policy = stripe_shop.client.get(stripe_shop.market.url)["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "https://js.stripe.com" in directives["script-src"]
    assert "https://js.stripe.com" in directives["frame-src"]
    assert "https://api.stripe.com" in directives["connect-src"]
    assert "stripe" not in market_policy
    assert "script-src 'self'" in market_policy


def test_a_confirmed_payment_intent_succeeds_and_can_be_refunded(
    stripe_shop, stripe_api, send, django_capture_on_commit_callbacks
):
    payment = open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, payment)
    assert intent.status == "succeeded"
    send(event_payload("payment_intent.succeeded", intent))
    order = Order.objects.filter(checkout=stripe_shop.checkout).order_by("pk").first()

    # The refund is recorded with its idempotency key, then made once committed.
    with django_capture_on_commit_callbacks(execute=True):
        refund = payment_refund(payment=Payment.objects.get(pk=payment.pk), order=order,
                                amount_cents=1850, reason=Refund.Reason.CANCELLED,
                                key=f"refund-test-{order.pk}")
    refund.refresh_from_db()

    assert refund.external_id.startswith("re_")
    assert refund.state == Refund.State.SUCCEEDED
    assert Payment.objects.get(pk=payment.pk).state == Payment.State.PARTIALLY_REFUNDED
    stripe_refund = stripe_api.v1.refunds.retrieve(refund.external_id)
    assert stripe_refund.amount == 1850
    assert stripe_refund.metadata["refund_id"] == str(refund.pk)


def test_charge_refunded_marks_the_payment_refunded(stripe_shop, stripe_api, send):
    payment = open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, payment)
    send(event_payload("payment_intent.succeeded", intent))
    charge_id = intent.latest_charge if isinstance(intent.latest_charge, str) \
        else intent.latest_charge.id
    stripe_api.v1.refunds.create(params={"charge": charge_id})  # from Stripe's dashboard

    response = send(event_payload("charge.refunded", stripe_api.v1.charges.retrieve(charge_id)))

    assert response.status_code == 200
    assert Payment.objects.get(pk=payment.pk).state == Payment.State.REFUNDED


def test_a_signed_succeeded_event_completes_the_checkout(stripe_shop, stripe_api, send):
    payment = open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, payment)

    response = send(event_payload("payment_intent.succeeded", intent))

    assert response.status_code == 200
    checkout = Checkout.objects.get(pk=stripe_shop.checkout.pk)
    assert checkout.state == Checkout.State.PAID
    assert checkout.gateway == "stripe"
    assert checkout.payment_reference == payment.external_id
    assert Payment.objects.get(pk=payment.pk).state == Payment.State.SUCCEEDED
    assert Order.objects.filter(checkout=checkout).count() == 2
    assert WebhookEvent.objects.get().processed_at is not None


def test_a_bad_signature_is_refused(stripe_shop, stripe_api, send):
    payment = open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, payment)
    payload = event_payload("payment_intent.succeeded", intent)

    wrong_secret = send(payload, secret="whsec_someone_else")
    tampered = send(payload, signature=stripe.WebhookSignature.generate_signature_header(
        payload.replace("8200", "1"), WEBHOOK_SECRET))
    platform_on_connect = send(payload, url=CONNECT_WEBHOOK_URL)

    assert wrong_secret.status_code == tampered.status_code == 400
    assert platform_on_connect.status_code == 400
    assert wrong_secret.json() == {"error": "bad signature"}
    assert not WebhookEvent.objects.exists()
    assert Checkout.objects.get(pk=stripe_shop.checkout.pk).state == Checkout.State.RESERVED


def test_a_missing_signature_or_bad_json_is_refused(stripe_settings, send, client):
    missing = send(event_payload("payment_intent.succeeded", {"id": "pi_x"}), signature="")
    not_json = send("{not json")
    get = client.get(WEBHOOK_URL)

    assert missing.status_code == not_json.status_code == 400
    assert missing.json() == {"error": "missing signature"}
    assert get.status_code == 405
    assert not WebhookEvent.objects.exists()


def test_the_same_event_delivered_100_times_completes_the_checkout_once(
    stripe_shop, stripe_api, send, monkeypatch
):
    from payments import services

    completions = []
    real_complete = services.checkout_complete

    def counting_complete(**kwargs):
        result = real_complete(**kwargs)
        completions.append(result.already_completed)
        return result

    monkeypatch.setattr(services, "checkout_complete", counting_complete)
    payment = open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, payment)
    payload = event_payload("payment_intent.succeeded", intent, event_id="evt_test_dup")

    statuses = {send(payload).status_code}
    transfers = list(Transfer.objects.filter(checkout=stripe_shop.checkout).values_list(
        "idempotency_key", flat=True))
    mails = len(mail.outbox)
    statuses |= {send(payload).status_code for _ in range(99)}

    assert statuses == {200}
    assert WebhookEvent.objects.filter(event_id="evt_test_dup").count() == 1
    assert completions == [False]
    assert Order.objects.filter(checkout=stripe_shop.checkout).count() == 2
    assert list(Transfer.objects.filter(checkout=stripe_shop.checkout).values_list(
        "idempotency_key", flat=True)) == transfers
    assert len(mail.outbox) == mails
    assert [m.to for m in mail.outbox].count(["acheteuse@example.org"]) == 1


def test_succeeded_before_the_shopper_returns_shows_paid(stripe_shop, stripe_api, send):
    payment = open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, payment)
    send(event_payload("payment_intent.succeeded", intent))

    page = stripe_shop.client.get(
        f"{stripe_shop.return_url}?payment_intent={intent.id}&redirect_status=succeeded"
    ).content.decode()

    assert "Merci pour votre commande" in page
    assert 'http-equiv="refresh"' not in page


def test_the_return_page_waits_while_the_payment_is_not_confirmed(stripe_shop, stripe_api):
    open_payment_page(stripe_shop)

    page = stripe_shop.client.get(stripe_shop.return_url).content.decode()

    assert "Paiement en cours de confirmation" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert Checkout.objects.get(pk=stripe_shop.checkout.pk).state == Checkout.State.RESERVED


def test_the_return_page_completes_the_checkout_when_the_webhook_is_late(
    stripe_shop, stripe_api
):
    # Given a payment Stripe took, whose webhook has not arrived
    payment = open_payment_page(stripe_shop)
    shopper_pays(stripe_api, payment)

    # When the shopper comes back
    page = stripe_shop.client.get(stripe_shop.return_url).content.decode()

    # Then the page asks Stripe and completes the checkout itself
    assert "Merci pour votre commande" in page
    checkout = Checkout.objects.get(pk=stripe_shop.checkout.pk)
    assert checkout.state == Checkout.State.PAID
    assert checkout.orders.count() == 2


def test_a_declined_payment_releases_the_units_and_tells_the_shopper(
    stripe_shop, stripe_api, send
):
    payment = open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, payment, card=DECLINED_CARD)
    assert intent.status == "requires_payment_method"

    page = stripe_shop.client.get(stripe_shop.return_url).content.decode()
    assert "Paiement refusé" in page
    send(event_payload("payment_intent.payment_failed", intent))
    send(event_payload("payment_intent.payment_failed", intent))

    payment.refresh_from_db()
    assert payment.state == Payment.State.FAILED
    assert payment.failure_message == "Your card was declined."
    checkout = Checkout.objects.get(pk=stripe_shop.checkout.pk)
    assert checkout.state == Checkout.State.OPEN
    assert not checkout.reservations.exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["acheteuse@example.org"]
    assert "panier" in mail.outbox[0].body


def test_a_retry_after_a_decline_opens_a_new_intent_and_cancels_the_declined_one(
    stripe_shop, stripe_api, send, django_capture_on_commit_callbacks
):
    from shop.checkout.services import checkout_reserve

    payment = open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, payment, card=DECLINED_CARD)
    send(event_payload("payment_intent.payment_failed", intent))
    checkout_reserve(checkout=Checkout.objects.get(pk=stripe_shop.checkout.pk))

    with django_capture_on_commit_callbacks(execute=True):
        retried = open_payment_page(stripe_shop)

    assert retried.pk != payment.pk
    assert retried.state == Payment.State.CREATED
    assert stripe_api.v1.payment_intents.retrieve(payment.external_id).status == "canceled"


def test_payment_failed_after_succeeded_keeps_the_checkout_paid(stripe_shop, stripe_api, send):
    payment = open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, payment)
    send(event_payload("payment_intent.succeeded", intent))

    response = send(event_payload("payment_intent.payment_failed", intent))

    assert response.status_code == 200
    assert Checkout.objects.get(pk=stripe_shop.checkout.pk).state == Checkout.State.PAID
    assert Payment.objects.get(pk=payment.pk).state == Payment.State.SUCCEEDED
    assert not [m for m in mail.outbox if "n'est pas passé" in m.subject]


def test_a_dispute_flags_the_payment_and_tells_the_organiser(stripe_shop, stripe_api, send):
    organiser = stripe_shop.market.specific.organiser
    organiser.contact_email = "orga@example.org"
    organiser.save()
    payment = open_payment_page(stripe_shop)
    intent = shopper_pays(stripe_api, payment)
    send(event_payload("payment_intent.succeeded", intent))
    mail.outbox.clear()
    charge_id = intent.latest_charge if isinstance(intent.latest_charge, str) \
        else intent.latest_charge.id
    dispute = {"id": "dp_test_1", "object": "dispute", "amount": 8200, "currency": "eur",
               "charge": charge_id, "payment_intent": intent.id, "reason": "fraudulent",
               "status": "needs_response"}

    response = send(event_payload("charge.dispute.created", dispute))

    assert response.status_code == 200
    assert "dp_test_1" in Payment.objects.get(pk=payment.pk).failure_message
    assert all(order.disputed_at for order in stripe_shop.checkout.orders.all())
    assert [m.to for m in mail.outbox] == [["orga@example.org"]]
    assert stripe_shop.checkout.reference in mail.outbox[0].subject
    assert stripe_shop.checkout.reference in mail.outbox[0].body


def test_connect_events_are_stored_once_and_unknown_types_ignored(stripe_settings, send):
    account = {"id": "acct_test_1", "object": "account", "charges_enabled": True}
    payload = event_payload("account.updated", account, event_id="evt_test_account")

    first = send(payload, secret=CONNECT_WEBHOOK_SECRET, url=CONNECT_WEBHOOK_URL)
    second = send(payload, secret=CONNECT_WEBHOOK_SECRET, url=CONNECT_WEBHOOK_URL)
    unknown = send(event_payload("customer.created", {"id": "cus_1"}))

    assert first.status_code == second.status_code == unknown.status_code == 200
    event = WebhookEvent.objects.get(event_id="evt_test_account")
    assert event.endpoint == WebhookEvent.Endpoint.CONNECT
    assert event.processed_at is not None
    assert WebhookEvent.objects.get(type="customer.created").processed_at is not None

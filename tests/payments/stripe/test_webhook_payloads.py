"""A webhook whose signature is valid but whose body is not a Stripe event is refused with
a clear 400, never a 500, and nothing is stored."""

import json

import pytest
import stripe

from payments.models import WebhookEvent

from .conftest import CONNECT_WEBHOOK_SECRET, WEBHOOK_SECRET

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/payments/stripe/webhook/": WEBHOOK_SECRET,
    "/payments/stripe/connect-webhook/": CONNECT_WEBHOOK_SECRET,
}
EVENT = {"id": "evt_1", "object": "event", "type": "payment_intent.succeeded",
         "data": {"object": {"id": "pi_1", "object": "payment_intent"}}}


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_WEBHOOK_SECRET


def post_signed(client, url: str, payload: str):
    signature = stripe.WebhookSignature.generate_signature_header(payload, ENDPOINTS[url])
    return client.post(url, payload, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=signature)


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("body", [
    [], "x", 3, None, {},
    {"id": "evt_1", "type": "x"},
    {"id": "evt_1", "type": "x", "data": "oops"},
    {"id": "evt_1", "type": "x", "data": {}},
    {"id": "evt_1", "type": "x", "data": {"object": "oops"}},
    {"id": "evt_1", "type": "x", "data": {"object": None}},
    {**EVENT, "id": ""},
    {**EVENT, "id": 12},
    {**EVENT, "type": ["payment_intent.succeeded"]},
    {**EVENT, "account": {"id": "acct_1"}},
], ids=repr)
def test_a_signed_body_that_is_not_an_event_is_refused(client, url, body):
    response = post_signed(client, url, json.dumps(body))

    assert response.status_code == 400
    assert response.json()["error"].startswith("invalid event")
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("payload", ["{not json", "\"unterminated", ""])
def test_a_signed_body_that_is_not_json_is_refused(client, payload):
    response = post_signed(client, "/payments/stripe/webhook/", payload)

    assert response.status_code == 400
    assert response.json() == {"error": "invalid payload"}


def test_a_body_that_is_not_utf8_is_refused(client):
    payload = b'{"id": "evt_\xff"}'
    signature = stripe.WebhookSignature.generate_signature_header(
        payload.decode("latin-1"), WEBHOOK_SECRET)

    response = client.post("/payments/stripe/webhook/", payload,
                           content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)

    assert response.status_code == 400


def test_a_bad_shape_with_a_bad_signature_is_refused_for_its_signature(client):
    payload = json.dumps({"id": "evt_1", "type": "x", "data": "oops"})
    signature = stripe.WebhookSignature.generate_signature_header(payload, "whsec_other")

    response = client.post("/payments/stripe/webhook/", payload,
                           content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)

    assert response.status_code == 400
    assert response.json() == {"error": "bad signature"}


def test_a_well_formed_event_is_still_stored_once(client, django_capture_on_commit_callbacks,
                                                  monkeypatch):
    from payments import tasks

    monkeypatch.setattr(tasks, "process_webhook_event", lambda *args, **kwargs: None)
    payload = json.dumps(EVENT)

    first = post_signed(client, "/payments/stripe/webhook/", payload)
    second = post_signed(client, "/payments/stripe/webhook/", payload)

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json() == {"received": True, "duplicate": False}
    assert second.json()["duplicate"] is True
    assert WebhookEvent.objects.get().type == "payment_intent.succeeded"


def test_a_delivery_replayed_long_after_it_was_signed_is_refused(client):
    payload = json.dumps(EVENT)
    signed_long_ago = stripe.WebhookSignature.generate_signature_header(
        payload, WEBHOOK_SECRET, timestamp=1_000_000_000)

    response = client.post("/payments/stripe/webhook/", payload,
                           content_type="application/json", HTTP_STRIPE_SIGNATURE=signed_long_ago)

    assert response.status_code == 400
    assert response.json() == {"error": "bad signature"}

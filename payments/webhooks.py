"""Stripe's webhook endpoints: verify the signature, store the event once by its id and
leave the work to the outbox (a Celery task once committed, the sweep if the broker or the
worker fails), so that Stripe gets its answer at once and a duplicate or a retried
delivery changes nothing."""

import json

import stripe
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from outbox.services import outbox_add

from .models import WebhookEvent


def _error(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def _event_problem(event) -> str | None:
    """What keeps a signed body from being read as a Stripe event, if anything."""
    if not isinstance(event, dict):
        return "the body is not a JSON object"
    if not isinstance(event.get("id"), str) or not 0 < len(event["id"]) <= 255:
        return "id must be a string of 1 to 255 characters"
    if not isinstance(event.get("type"), str) or not event["type"]:
        return "type must be a non-empty string"
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        return "data.object must be an object"
    account = event.get("account")
    if account is not None and (not isinstance(account, str) or len(account) > 255):
        return "account must be a string of at most 255 characters"
    return None


def _receive(request: HttpRequest, *, secret: str, endpoint: str) -> JsonResponse:
    if not secret:
        return _error("webhook secret not configured")
    signature = request.headers.get("Stripe-Signature")
    if not signature:
        return _error("missing signature")
    try:
        payload = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return _error("invalid payload")
    # The signature is checked before anything is read from the body; the tolerance
    # refuses a delivery replayed more than five minutes later.
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature, secret, tolerance=stripe.Webhook.DEFAULT_TOLERANCE
        )
    except stripe.SignatureVerificationError:
        return _error("bad signature")
    try:
        event = json.loads(payload)
    except ValueError:
        return _error("invalid payload")
    problem = _event_problem(event)
    if problem:
        return _error(f"invalid event: {problem}")

    with transaction.atomic():
        stored, created = WebhookEvent.objects.get_or_create(
            event_id=event["id"],
            defaults={"endpoint": endpoint, "type": event["type"][:100],
                      "account": event.get("account") or "", "payload": event},
        )
        if created or stored.processed_at is None:
            outbox_add(task="payments.tasks.process_webhook_event", args=[stored.pk],
                       key=f"webhook-{stored.event_id}")
    return JsonResponse({"received": True, "duplicate": not created})


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    """Events of the platform account (payments, refunds, disputes, transfers)."""
    return _receive(request, secret=settings.STRIPE_WEBHOOK_SECRET,
                    endpoint=WebhookEvent.Endpoint.PLATFORM)


@csrf_exempt
@require_POST
def stripe_connect_webhook(request: HttpRequest) -> JsonResponse:
    """Events of the connected accounts of vendors, projects and organisers."""
    return _receive(request, secret=settings.STRIPE_CONNECT_WEBHOOK_SECRET,
                    endpoint=WebhookEvent.Endpoint.CONNECT)

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


def _receive(request: HttpRequest, *, secret: str, endpoint: str) -> JsonResponse:
    if not secret:
        return _error("webhook secret not configured")
    signature = request.headers.get("Stripe-Signature")
    if not signature:
        return _error("missing signature")
    try:
        payload = request.body.decode("utf-8")
        stripe.Webhook.construct_event(payload, signature, secret)
        event = json.loads(payload)
    except stripe.SignatureVerificationError:
        return _error("bad signature")
    except ValueError:
        return _error("invalid payload")
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        return _error("invalid event")

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
    """Events of the vendors' and projects' connected accounts."""
    return _receive(request, secret=settings.STRIPE_CONNECT_WEBHOOK_SECRET,
                    endpoint=WebhookEvent.Endpoint.CONNECT)

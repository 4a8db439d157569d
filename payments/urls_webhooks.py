from django.urls import path

from . import webhooks

app_name = "payments_webhooks"

urlpatterns = [
    path("webhook/", webhooks.stripe_webhook, name="stripe"),
    path("connect-webhook/", webhooks.stripe_connect_webhook, name="stripe_connect"),
]

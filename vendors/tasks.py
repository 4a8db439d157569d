"""E-mails about applications, sent after the transaction that decided them commits."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from config.mail import send_templated_email

RETRY = {"autoretry_for": (ConnectionError, TimeoutError, OSError), "retry_backoff": True,
         "max_retries": 5}


@shared_task(**RETRY)
def send_set_password_email(user_id: int) -> int:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return 0
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user)},
    )
    vendor = user.vendor_memberships.select_related("vendor").first()
    return send_templated_email(
        to=[user.email], template="vendors/emails/set_password",
        context={"user": user, "vendor": vendor.vendor if vendor else None,
                 "link": f"{settings.SITE_URL}{path}"},
    )

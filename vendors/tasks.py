"""E-mails about applications, sent after the transaction that decided them commits."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from config.mail import send_templated_email

from .models import OrganiserMembership

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


def _participation(participation_id: int):
    from django.apps import apps

    model = apps.get_model("cms", "MarketParticipation")
    return model.objects.select_related("vendor", "market").filter(pk=participation_id).first()


@shared_task(**RETRY)
def send_application_received_to_organisers(participation_id: int) -> int:
    participation = _participation(participation_id)
    if participation is None:
        return 0
    organiser = participation.market.specific.organiser
    recipients = set()
    if organiser is not None:
        recipients.add(organiser.contact_email)
        recipients.update(
            OrganiserMembership.objects.filter(organiser=organiser)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    return send_templated_email(
        to=sorted(address for address in recipients if address),
        template="vendors/emails/application_received",
        context={"participation": participation, "vendor": participation.vendor,
                 "market": participation.market,
                 "review_url": f"{settings.SITE_URL}{reverse('wagtailadmin_home')}"},
    )


@shared_task(**RETRY)
def send_participation_decision(participation_id: int) -> int:
    participation = _participation(participation_id)
    if participation is None:
        return 0
    organiser = participation.market.specific.organiser
    return send_templated_email(
        to=[participation.vendor.email],
        template="vendors/emails/participation_decision",
        context={"participation": participation, "vendor": participation.vendor,
                 "market": participation.market,
                 "approved": participation.state == "approved",
                 "admin_url": f"{settings.SITE_URL}{reverse('wagtailadmin_home')}"},
        reply_to=[organiser.contact_email] if organiser and organiser.contact_email else None,
    )

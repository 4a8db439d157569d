"""E-mails about applications, sent after the transaction that decided them commits."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from config.mail import send_templated_email

from .models import MarketParticipation, OrganiserMembership

RETRY = {"autoretry_for": (ConnectionError, TimeoutError, OSError), "retry_backoff": True,
         "max_retries": 5}


def _participation(participation_id: int):
    return (
        MarketParticipation.objects.select_related("vendor", "market")
        .filter(pk=participation_id).first()
    )


@shared_task(**RETRY)
def send_application_received_to_organisers(participation_id: int) -> int:
    participation = _participation(participation_id)
    if participation is None:
        return 0
    organiser = participation.market.organiser
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
        template="markets/emails/application_received",
        context={"participation": participation, "vendor": participation.vendor,
                 "market": participation.market,
                 "review_url": f"{settings.SITE_URL}{reverse('wagtailadmin_home')}"},
    )


@shared_task(**RETRY)
def send_participation_decision(participation_id: int) -> int:
    participation = _participation(participation_id)
    if participation is None:
        return 0
    organiser = participation.market.organiser
    return send_templated_email(
        to=[participation.vendor.email],
        template="markets/emails/participation_decision",
        context={"participation": participation, "vendor": participation.vendor,
                 "market": participation.market,
                 "approved": participation.state == MarketParticipation.State.APPROVED,
                 "admin_url": f"{settings.SITE_URL}{reverse('wagtailadmin_home')}"},
        reply_to=[organiser.contact_email] if organiser and organiser.contact_email else None,
    )

"""The donor's e-mails, sent from the outbox: the follow-up link when the object is offered,
the vendor's decision, and the sale with what went to the project (once per object)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.mail import send_templated_email
from shop.donations.links import follow_url
from shop.donations.models import DonatedObject
from shop.donations.selectors import SOLD_STATES
from shop.orders.models import OrderLine

TEMPLATES = {"received": "shop/emails/donation_received",
             "accepted": "shop/emails/donation_accepted",
             "declined": "shop/emails/donation_declined"}


def _language(donation: DonatedObject) -> str | None:
    languages = {code for code, _name in settings.LANGUAGES}
    return donation.language if donation.language in languages else None


def donation_email_send(*, donation_id: int, kind: str) -> int:
    """One of the donor's e-mails about the vendor's handling of the object."""
    donation = (DonatedObject.objects.select_related("vendor", "project", "product")
                .filter(pk=donation_id).first())
    if donation is None or kind not in TEMPLATES:
        return 0
    return send_templated_email(
        to=[donation.donor_email], template=TEMPLATES[kind],
        context={"donation": donation, "follow_url": follow_url(donation)},
        language=_language(donation), reply_to=[donation.vendor.email],
    )


def donations_sold_send(*, checkout_id: int) -> int:
    """Tell the donor of each donated object this checkout bought how much went to its
    project. Safe to run twice: each object is marked once its e-mail is sent."""
    lines = (OrderLine.objects.filter(order__checkout_id=checkout_id,
                                      order__state__in=SOLD_STATES,
                                      product__donation__isnull=False,
                                      product__donation__sold_notified_at__isnull=True)
             .values_list("product__donation", "solidarity_cents"))
    sent = 0
    for donation_id, project_cents in lines:
        sent += _sold_send(donation_id=donation_id, project_cents=project_cents)
    return sent


@transaction.atomic
def _sold_send(*, donation_id: int, project_cents: int) -> int:
    donation = (DonatedObject.objects.select_for_update(of=("self",))
                .select_related("vendor", "project", "product")
                .filter(pk=donation_id, sold_notified_at__isnull=True).first())
    if donation is None:
        return 0
    sent = send_templated_email(
        to=[donation.donor_email], template="shop/emails/donation_sold",
        context={"donation": donation, "follow_url": follow_url(donation),
                 "project_cents": project_cents},
        language=_language(donation), reply_to=[donation.vendor.email],
    )
    donation.sold_notified_at = timezone.now()
    donation.save(update_fields=["sold_notified_at"])
    return sent

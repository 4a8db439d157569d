"""Writes on donated objects: the offer, the vendor's decision, the donor told of the sale.

An accepted object becomes a unique product (stock 1) whose project is the donor's and
which gives it a fixed amount per unit, its price less the costs the vendor declared
(`Product.solidarity_unit_cents`, frozen on the checkout and order lines like a share).
The market's commission is taken from the vendor's part, as for any product: the declared
costs must cover it, so that the vendor never pays to sell a gift."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from config.throttle import throttle_allows, throttle_key
from outbox.services import outbox_add
from shop.catalogue.models import Product
from shop.catalogue.services import product_unique_slug
from shop.donations.models import DonatedObject
from shop.donations.photos import photos_delete, photos_store, photos_to_product
from shop.donations.selectors import donation_projects, highest_commission_bps
from shop.money import bps_for_display, format_cents, share_of

THROTTLE_WINDOW = 3600


class TooManyOffers(Exception):
    """This client (or this donor) offered too many objects in the last hour."""


class DonationError(ValueError):
    """A decision that cannot be taken; the message is for the vendor."""


@dataclass(frozen=True)
class Offer:
    donor_name: str
    donor_email: str
    description: str
    condition_guess: str
    project_id: int


@transaction.atomic
def donation_offer(*, vendor, offer: Offer, photos, client_ip: str | None,
                   language: str = "") -> DonatedObject:
    """Record an offered object and its photos (already checked) and e-mail its donor the
    follow-up link. Raises `TooManyOffers`, or `ValidationError` for a project the donor
    may not choose."""
    if not _throttle_allows(client_ip=client_ip, email=offer.donor_email):
        raise TooManyOffers
    if not donation_projects(vendor).filter(pk=offer.project_id).exists():
        raise ValidationError(_("Choose one of the projects offered."))
    donation = DonatedObject.objects.create(
        vendor=vendor, project_id=offer.project_id, donor_name=offer.donor_name.strip(),
        donor_email=offer.donor_email.strip().lower(), description=offer.description.strip(),
        condition_guess=offer.condition_guess, language=language[:10],
    )
    photos_store(donation=donation, uploads=photos)
    outbox_add(task="shop.tasks.send_donation_email", args=[donation.pk, "received"],
               key=f"donation-received-{donation.pk}")
    return donation


def _throttle_allows(*, client_ip: str | None, email: str) -> bool:
    if client_ip and not throttle_allows(throttle_key("donation-ip", client_ip),
                                         limit=settings.DONATION_OFFERS_PER_IP,
                                         window=THROTTLE_WINDOW):
        return False
    return throttle_allows(throttle_key("donation-email", email),
                           limit=settings.DONATION_OFFERS_PER_EMAIL, window=THROTTLE_WINDOW)


@dataclass(frozen=True)
class Acceptance:
    title: str
    price_cents: int
    condition: str
    category: object
    costs_cents: int


def _lock_offered(donation: DonatedObject) -> DonatedObject:
    donation = (DonatedObject.objects.select_for_update(of=("self",))
                .select_related("vendor").get(pk=donation.pk))
    if donation.state != DonatedObject.State.OFFERED:
        raise DonationError(_("This object was already « %(state)s ».")
                            % {"state": donation.get_state_display()})
    return donation


def acceptance_check(*, vendor, acceptance: Acceptance) -> None:
    """The project gets something, and the costs cover the highest commission the vendor
    pays among its markets. Raises `DonationError`."""
    price, costs = acceptance.price_cents, acceptance.costs_cents
    if costs >= price:
        raise DonationError(_("The declared costs must be lower than the price: the rest "
                              "goes to the donor's project."))
    commission = share_of(price, highest_commission_bps(vendor))
    if costs < commission:
        raise DonationError(
            _("The market's commission on this price is %(commission)s and comes out of your "
              "part: declare at least that much in costs.")
            % {"commission": format_cents(commission)})


@transaction.atomic
def donation_accept(*, donation: DonatedObject, acceptance: Acceptance, now=None) -> Product:
    """The object joins the vendor's catalogue as a unique item, on sale, its photos as
    product images; the donor's project gets its price less the declared costs."""
    donation = _lock_offered(donation)
    acceptance_check(vendor=donation.vendor, acceptance=acceptance)
    unit_cents = acceptance.price_cents - acceptance.costs_cents
    product = Product.objects.create(
        vendor=donation.vendor, title=acceptance.title,
        slug=product_unique_slug(vendor=donation.vendor, title=acceptance.title),
        description=linebreaks(escape(donation.description)),
        category=acceptance.category, condition=acceptance.condition,
        price_cents=acceptance.price_cents, stock=1, is_active=True,
        solidarity_project_id=donation.project_id, solidarity_unit_cents=unit_cents,
        # What the listings show as the share; the amount itself is `solidarity_unit_cents`.
        solidarity_bps=bps_for_display(unit_cents, acceptance.price_cents),
    )
    photos_to_product(donation=donation, product=product,
                      alt_text=_("Photo of « %(title)s »") % {"title": acceptance.title})
    donation.state = DonatedObject.State.ACCEPTED
    donation.product = product
    donation.declared_costs_cents = acceptance.costs_cents
    donation.decided_at = now or timezone.now()
    donation.save(update_fields=["state", "product", "declared_costs_cents", "decided_at"])
    outbox_add(task="shop.tasks.send_donation_email", args=[donation.pk, "accepted"],
               key=f"donation-accepted-{donation.pk}")
    return product


@transaction.atomic
def donation_decline(*, donation: DonatedObject, message: str, now=None) -> DonatedObject:
    """The vendor does not take the object: the donor gets its message, the photos are
    deleted."""
    message = message.strip()
    if not message:
        raise DonationError(_("Write a word to the donor: it is sent to them."))
    donation = _lock_offered(donation)
    photos_delete(donation=donation)
    donation.state = DonatedObject.State.DECLINED
    donation.decline_message = message
    donation.decided_at = now or timezone.now()
    donation.save(update_fields=["state", "decline_message", "decided_at"])
    outbox_add(task="shop.tasks.send_donation_email", args=[donation.pk, "declined"],
               key=f"donation-declined-{donation.pk}")
    return donation

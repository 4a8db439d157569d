"""« Retrouver mes commandes »: a sign-in link sent by e-mail, without account or password.

Asking for a link always gets the same answer, whether or not the address has ordered:
the link row is recorded and the e-mail task decides, after the request, whether there is
anything to send. The token in the link is signed (`TimestampSigner`, its own salt) and
names the row and its nonce; the row makes it single-use and bounds its age even when the
e-mail left late (the outbox retries while the mail server is down).
"""

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from config.throttle import throttle_allows, throttle_key
from outbox.services import outbox_add
from shop.checkout.models import Checkout
from shop.shoppers.models import OrderAccessLink

LINK_SALT = "shop.shoppers.access-link"
KEPT_FOR = timedelta(days=1)


class LinkProblem(Enum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class LinkCheck:
    link: OrderAccessLink | None
    problem: LinkProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


class TooManyRequests(Exception):
    """This client asked for too many links: slow down (tells nothing about addresses)."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def access_link_request(*, email: str, client_ip: str | None, language: str = "") -> None:
    """Send a sign-in link to `email` if it ordered. Raises `TooManyRequests` when the
    client asked too often; an address asked for too often is quietly not sent more."""
    window = 3600
    if client_ip and not throttle_allows(throttle_key("access-link-ip", client_ip),
                                         limit=settings.SHOPPER_ACCESS_LINKS_PER_IP,
                                         window=window):
        raise TooManyRequests
    email = normalise_email(email)
    if not throttle_allows(throttle_key("access-link-email", email),
                           limit=settings.SHOPPER_ACCESS_LINKS_PER_EMAIL, window=window):
        return
    with transaction.atomic():
        link = OrderAccessLink.objects.create(email=email, language=language[:10])
        outbox_add(task="shop.tasks.send_order_access_link", args=[link.pk],
                   key=f"order-access-link-{link.pk}")


def has_paid_orders(email: str) -> bool:
    return Checkout.objects.filter(email__iexact=email, state=Checkout.State.PAID).exists()


def access_link_token(link: OrderAccessLink) -> str:
    return signing.TimestampSigner(salt=LINK_SALT).sign_object({"l": link.pk, "n": link.nonce})


def access_link_url(link: OrderAccessLink) -> str:
    return settings.SITE_URL + reverse("shoppers:sign_in", args=[access_link_token(link)])


def _expired(link: OrderAccessLink, now) -> bool:
    return link.created_at + timedelta(seconds=settings.SHOPPER_ACCESS_LINK_MAX_AGE) < now


def access_link_check(token: str, *, now=None, for_update: bool = False) -> LinkCheck:
    """What the link of `token` is worth: its row, or why it cannot be used."""
    signer = signing.TimestampSigner(salt=LINK_SALT)
    try:
        value = signer.unsign_object(token, max_age=settings.SHOPPER_ACCESS_LINK_MAX_AGE)
    except signing.SignatureExpired:
        return LinkCheck(None, LinkProblem.EXPIRED)
    except (signing.BadSignature, ValueError, TypeError):
        return LinkCheck(None, LinkProblem.INVALID)
    if not isinstance(value, dict) or not isinstance(value.get("l"), int):
        return LinkCheck(None, LinkProblem.INVALID)
    links = OrderAccessLink.objects.filter(pk=value["l"], nonce=value.get("n"))
    link = (links.select_for_update() if for_update else links).first()
    if link is None:
        # Purged after a day, or erased with the shopper's data: long expired either way.
        return LinkCheck(None, LinkProblem.EXPIRED)
    if link.used_at:
        return LinkCheck(link, LinkProblem.USED)
    if _expired(link, now or timezone.now()):
        return LinkCheck(link, LinkProblem.EXPIRED)
    return LinkCheck(link)


@transaction.atomic
def access_link_use(*, token: str, now=None) -> LinkCheck:
    """Use the link once: it, and every other link still unused for the same address, can
    never open the space again."""
    now = now or timezone.now()
    check = access_link_check(token, now=now, for_update=True)
    if check.ok:
        OrderAccessLink.objects.filter(email=check.link.email, used_at__isnull=True).update(
            used_at=now)
    return check


def access_links_purge(*, now=None) -> int:
    """Delete the links older than a day: expired, and holding an address."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _ = OrderAccessLink.objects.filter(created_at__lt=cutoff).delete()
    return deleted

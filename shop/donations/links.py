"""The donor's follow-up link: no account, the row's id and nonce signed with the site's
key (its own salt), so that nobody can make up the link of another object. It never
expires: the donor follows the object until it sells, however long that takes."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from shop.donations.models import DonatedObject

SALT = "shop.donations.follow-link"


def follow_token(donation: DonatedObject) -> str:
    return signing.Signer(salt=SALT).sign_object({"d": donation.pk, "n": donation.nonce})


def follow_url(donation: DonatedObject) -> str:
    return settings.SITE_URL + reverse("donations:follow", args=[follow_token(donation)])


def donation_for_token(token: str) -> DonatedObject | None:
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("d"), int):
        return None
    return (DonatedObject.objects.select_related("vendor", "project", "product")
            .filter(pk=value["d"], nonce=value.get("n")).first())

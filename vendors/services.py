"""Writes on vendors and organisers: their back-office workspaces and their members."""

import secrets

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from wagtail.models import Collection, GroupCollectionPermission

from config.cache_versions import CATALOGUE, cache_version_renew

from .models import ApiToken, Vendor, VendorMembership
from .roles import VENDORS_GROUP

IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def image_collection(name: str) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def grant_images(group: Group, collection: Collection) -> None:
    for codename in IMAGE_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label="wagtailimages", codename=codename
            ),
        )


@transaction.atomic
def vendor_workspace_ensure(*, vendor: Vendor) -> Group:
    """The vendor's own image collection (« Mes photos ») and the group that opens it
    to its members only. Safe to call again."""
    if vendor.collection_id is None:
        vendor.collection = image_collection(f"Exposant · {vendor.name}")
        vendor.save(update_fields=["collection"])
    group, _ = Group.objects.get_or_create(name=f"Exposant · {vendor.slug}")
    grant_images(group, vendor.collection)
    return group


@transaction.atomic
def vendor_member_add(*, vendor: Vendor, user, role: str = VendorMembership.Role.OWNER):
    """Give `user` access to the vendor's space in the back office."""
    membership, _ = VendorMembership.objects.update_or_create(
        user=user, vendor=vendor, defaults={"role": role}
    )
    group = vendor_workspace_ensure(vendor=vendor)
    user.groups.add(group, Group.objects.get(name=VENDORS_GROUP))
    return membership


@transaction.atomic
def vendor_suspend(*, vendor: Vendor) -> Vendor:
    """Takes all the vendor's products off every storefront at once."""
    Vendor.objects.filter(pk=vendor.pk).update(status=Vendor.Status.SUSPENDED)
    cache_version_renew(CATALOGUE)
    vendor.status = Vendor.Status.SUSPENDED
    return vendor


@transaction.atomic
def vendor_reinstate(*, vendor: Vendor) -> Vendor:
    Vendor.objects.filter(pk=vendor.pk).update(status=Vendor.Status.APPROVED)
    cache_version_renew(CATALOGUE)
    vendor.status = Vendor.Status.APPROVED
    return vendor


API_TOKEN_PREFIX = "ms_"  # noqa: S105 (marks our tokens, so secret scanners can spot them)


@transaction.atomic
def api_token_create(*, vendor: Vendor, name: str, created_by=None) -> tuple[ApiToken, str]:
    """A new token for `vendor`, and its secret: the only time the secret is known."""
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        vendor=vendor, name=name.strip(), prefix=secret[:10],
        secret_hash=ApiToken.hash_secret(secret), created_by=created_by,
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, now=None) -> ApiToken:
    """From now on the token is refused (401). Revoking twice keeps the first date."""
    now = now or timezone.now()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.refresh_from_db(fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken, now=None, every_seconds: int = 60) -> None:
    """Note when the token was last used, at most once a minute: a sync tool calling
    several times a second should not write a row each time."""
    now = now or timezone.now()
    if token.last_used_at and (now - token.last_used_at).total_seconds() < every_seconds:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now

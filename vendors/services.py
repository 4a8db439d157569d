"""Writes on vendors and organisers: their back-office workspaces and their members."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission

from config.cache_versions import CATALOGUE, cache_version_renew

from .models import Vendor, VendorMembership
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

"""Writes on vendors and organisers: their back-office workspaces and their members."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .models import Organiser, OrganiserMembership, Vendor, VendorMembership
from .roles import ORGANISERS_GROUP, VENDORS_GROUP

IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def _collection(name: str) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def _grant_images(group: Group, collection: Collection) -> None:
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
        vendor.collection = _collection(f"Exposant · {vendor.name}")
        vendor.save(update_fields=["collection"])
    group, _ = Group.objects.get_or_create(name=f"Exposant · {vendor.slug}")
    _grant_images(group, vendor.collection)
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
def organiser_workspace_ensure(*, organiser: Organiser, index_page) -> Group:
    """The organiser's group: edit and publish its own market pages and projects, use its
    own image collection. Safe to call again."""
    group, _ = Group.objects.get_or_create(name=f"Organisateur · {organiser.slug}")
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=index_page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    _grant_images(group, _collection(f"Organisateur · {organiser.name}"))
    return group


@transaction.atomic
def organiser_member_add(*, organiser: Organiser, user, index_page) -> OrganiserMembership:
    membership, _ = OrganiserMembership.objects.get_or_create(user=user, organiser=organiser)
    group = organiser_workspace_ensure(organiser=organiser, index_page=index_page)
    user.groups.add(group, Group.objects.get(name=ORGANISERS_GROUP))
    return membership

"""Writes on vendors and organisers: their back-office workspaces and their members."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from config.tasks import enqueue

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


def _on_commit(task, *args) -> None:
    transaction.on_commit(lambda: enqueue(task, *args))


@transaction.atomic
def vendor_apply(*, market, vendor_data: dict, contact_name: str, ess_criteria: str = ""):
    """A structure applies to sell in `market`: the vendor (applied), its participation
    (applied) and an owner account without a password are created; the owner gets a
    link to choose one and the market's organisers are told."""
    from django.contrib.auth import get_user_model
    from django.utils.text import slugify

    from . import tasks

    email = vendor_data["email"].strip().lower()
    base_slug = slugify(vendor_data["name"])[:180] or "exposant"
    slug, suffix = base_slug, 2
    while Vendor.objects.filter(slug=slug).exists():
        slug, suffix = f"{base_slug}-{suffix}", suffix + 1
    vendor = Vendor.objects.create(**{**vendor_data, "email": email}, slug=slug,
                                   ess_commitment=ess_criteria,
                                   status=Vendor.Status.APPLIED)
    # The market's page is clustered: its related manager keeps new children in memory
    # until the page is saved, so the participation is written through its own model.
    participation = market.participations.model.objects.create(
        market=market, vendor=vendor, state="applied", message="",
    )

    user_model = get_user_model()
    username = f"vendeur-{slug}"[:150]
    first_name, _, last_name = contact_name.strip().partition(" ")
    user = user_model.objects.create_user(
        username=username, email=email, first_name=first_name[:150], last_name=last_name[:150]
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    vendor_member_add(vendor=vendor, user=user, role=VendorMembership.Role.OWNER)

    _on_commit(tasks.send_set_password_email, user.pk)
    _on_commit(tasks.send_application_received_to_organisers, participation.pk)
    return participation


@transaction.atomic
def participation_decide(*, participation, approve: bool, message: str = ""):
    """An organiser's verdict on an application. Approving a vendor's first application
    approves the vendor too. The vendor is e-mailed."""
    from . import tasks

    if approve and participation.vendor.status == Vendor.Status.SUSPENDED:
        raise ValueError("suspended vendor")
    participation.state = "approved" if approve else "refused"
    participation.message = message
    participation.save(update_fields=["state", "message"])
    vendor = participation.vendor
    if approve and vendor.status == Vendor.Status.APPLIED:
        vendor.status = Vendor.Status.APPROVED
        vendor.save(update_fields=["status"])
    _on_commit(tasks.send_participation_decision, participation.pk)
    return participation


@transaction.atomic
def vendor_suspend(*, vendor: Vendor) -> Vendor:
    """Takes all the vendor's products off every storefront at once."""
    Vendor.objects.filter(pk=vendor.pk).update(status=Vendor.Status.SUSPENDED)
    vendor.status = Vendor.Status.SUSPENDED
    return vendor


@transaction.atomic
def vendor_reinstate(*, vendor: Vendor) -> Vendor:
    Vendor.objects.filter(pk=vendor.pk).update(status=Vendor.Status.APPROVED)
    vendor.status = Vendor.Status.APPROVED
    return vendor

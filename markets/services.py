"""Writes on markets: organisers' workspaces, applications and decisions."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from config.cache_versions import CATALOGUE, cache_version_renew
from config.tasks import enqueue
from vendors.models import Vendor, VendorMembership
from vendors.roles import ORGANISERS_GROUP
from vendors.services import (
    PAGE_PERMISSIONS,
    grant_images,
    image_collection,
    vendor_member_add,
    vendor_reinstate,
    vendor_suspend,
)
from vendors.tasks import send_set_password_email

from . import tasks
from .models import Market, MarketParticipation, Organiser, OrganiserMembership


def _group_name(organiser: Organiser) -> str:
    return f"Organisateur · {organiser.slug}"


@transaction.atomic
def organiser_workspace_ensure(*, organiser: Organiser, index_page) -> Group:
    """The organiser's group: edit and publish its own market pages and projects, use its
    own image collection. Safe to call again."""
    group, _ = Group.objects.get_or_create(name=_group_name(organiser))
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=index_page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    grant_images(group, image_collection(f"Organisateur · {organiser.name}"))
    organiser_vendor_photos_sync(organiser=organiser)
    return group


@transaction.atomic
def organiser_vendor_photos_sync(*, organiser: Organiser | None) -> None:
    """The organiser may choose (never change) the photos of the vendors approved in its
    markets, for a banner or a page; the photos of any other vendor stay closed to it.
    Called whenever a participation of its markets changes."""
    group = Group.objects.filter(name=_group_name(organiser)).first() if (
        organiser is not None) else None
    if group is None:
        return
    choose = Permission.objects.get(content_type__app_label="wagtailimages",
                                    codename="choose_image")
    spaces = list(organiser.market_indexes.values_list("path", flat=True))
    in_its_markets = Q(pk__in=[])
    for space in spaces:
        in_its_markets |= Q(participations__market__path__startswith=space)
    wanted = set(
        Vendor.objects.filter(in_its_markets, collection__isnull=False,
                              participations__state=MarketParticipation.State.APPROVED)
        .values_list("collection_id", flat=True)
    )
    vendor_grants = GroupCollectionPermission.objects.filter(
        group=group, permission=choose,
        collection__in=Vendor.objects.filter(collection__isnull=False).values("collection"),
    )
    vendor_grants.exclude(collection_id__in=wanted).delete()
    granted = set(vendor_grants.values_list("collection_id", flat=True))
    GroupCollectionPermission.objects.bulk_create([
        GroupCollectionPermission(group=group, collection_id=collection_id, permission=choose)
        for collection_id in wanted - granted
    ])


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
    participation = MarketParticipation.objects.create(
        market=market, vendor=vendor, state=MarketParticipation.State.APPLIED, message="",
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

    _on_commit(send_set_password_email, user.pk)
    _on_commit(tasks.send_application_received_to_organisers, participation.pk)
    return participation


@transaction.atomic
def participation_decide(*, participation, approve: bool, message: str = ""):
    """An organiser's verdict on an application. Approving a vendor's first application
    approves the vendor too. The vendor is e-mailed."""

    if approve and participation.vendor.status == Vendor.Status.SUSPENDED:
        raise ValueError("suspended vendor")
    participation.state = (
        MarketParticipation.State.APPROVED if approve else MarketParticipation.State.REFUSED
    )
    participation.message = message
    participation.save(update_fields=["state", "message"])
    vendor = participation.vendor
    if approve and vendor.status == Vendor.Status.APPLIED:
        vendor.status = Vendor.Status.APPROVED
        vendor.save(update_fields=["status"])
    organiser_vendor_photos_sync(organiser=participation.market.organiser)
    _on_commit(tasks.send_participation_decision, participation.pk)
    return participation




@transaction.atomic
def participations_suspend(*, vendor: Vendor, market_ids, suspend: bool = True) -> list[int]:
    """An organiser suspends a vendor in its own markets (`market_ids`), or reinstates it
    there; its places in other organisers' markets do not change. The vendor and the
    organisers of its other markets are told. Returns the participations changed."""
    State = MarketParticipation.State
    before, after = (State.APPROVED, State.SUSPENDED) if suspend else (State.SUSPENDED,
                                                                        State.APPROVED)
    changed = MarketParticipation.objects.filter(vendor=vendor, market_id__in=market_ids,
                                                 state=before)
    ids = list(changed.values_list("pk", flat=True))
    changed.update(state=after)
    cache_version_renew(CATALOGUE)
    markets = Market.objects.filter(participations__pk__in=ids)
    for organiser in {market.organiser for market in markets}:
        organiser_vendor_photos_sync(organiser=organiser)
    if ids:
        _on_commit(tasks.send_suspension_notices, vendor.pk, ids, suspend)
    return ids


@transaction.atomic
def vendor_suspend_everywhere(*, vendor: Vendor, suspend: bool = True) -> Vendor:
    """A platform admin suspends a vendor on the whole platform, or reinstates it; the
    vendor and the organisers of its markets are told."""
    vendor = vendor_suspend(vendor=vendor) if suspend else vendor_reinstate(vendor=vendor)
    ids = list(vendor.participations.values_list("pk", flat=True))
    _on_commit(tasks.send_suspension_notices, vendor.pk, ids, suspend, True)
    return vendor


@transaction.atomic
def invitations_send(*, market) -> list[int]:
    """The vendors the organiser added to a published market are invited by e-mail, once
    each. Returns the participations invited now."""
    pending = MarketParticipation.objects.filter(
        market=market, state=MarketParticipation.State.INVITED, invited_at__isnull=True,
    )
    ids = list(pending.values_list("pk", flat=True))
    pending.update(invited_at=timezone.now())
    for pk in ids:
        _on_commit(tasks.send_invitation, pk)
    return ids


class NotAnInvitation(ValueError):
    """The participation is not an invitation waiting for this vendor's answer."""


@transaction.atomic
def invitation_answer(*, participation, vendor: Vendor, accept: bool):
    """The vendor accepts an invitation (its place in the market is approved, and so is
    the vendor if it was new) or declines it. The organisers are told."""
    participation = (
        MarketParticipation.objects.select_for_update()
        .filter(pk=participation.pk, vendor=vendor, state=MarketParticipation.State.INVITED)
        .first()
    )
    if participation is None:
        raise NotAnInvitation
    participation.state = (
        MarketParticipation.State.APPROVED if accept else MarketParticipation.State.REFUSED
    )
    participation.save(update_fields=["state"])
    if accept and vendor.status == Vendor.Status.APPLIED:
        vendor.status = Vendor.Status.APPROVED
        vendor.save(update_fields=["status"])
    organiser_vendor_photos_sync(organiser=participation.market.organiser)
    _on_commit(tasks.send_invitation_answer, participation.pk)
    return participation

"""The next edition of a market: last year's market, a year later, as a draft the organiser
reviews before publishing it (publication invites last year's vendors)."""

import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from vendors.models import Vendor

from .models import Market, MarketParticipation, PickupPoint, PickupSlot

YEAR = re.compile(r"\b(19|20)\d\d\b")


def year_shift(moment: datetime) -> datetime:
    """The same local (Europe/Paris) day and hour a year later, whatever the daylight saving
    time of either date; 29 February becomes 28 February."""
    local = timezone.localtime(moment)
    naive = local.replace(tzinfo=None)
    try:
        shifted = naive.replace(year=naive.year + 1)
    except ValueError:
        shifted = naive.replace(year=naive.year + 1, day=28)
    return timezone.make_aware(shifted, timezone.get_current_timezone())


def title_shift(title: str) -> str:
    """« Marché de Noël 2026 » → « Marché de Noël 2027 »: every year in it, one later."""
    return YEAR.sub(lambda match: str(int(match.group(0)) + 1), title)


def slug_available(*, parent, slug: str) -> bool:
    return not parent.get_children().filter(slug=slug).exists()


def edition_slug(*, market: Market) -> str:
    """The slug of the next edition: its year shifted, else « -<year> » added; free in the
    organiser's space."""
    parent = market.get_parent()
    shifted = title_shift(market.slug)
    if shifted == market.slug:
        shifted = f"{market.slug}-{year_shift(market.opens_at).year}"
    slug, suffix = shifted, 2
    while not slug_available(parent=parent, slug=slug):
        slug, suffix = f"{shifted}-{suffix}", suffix + 1
    return slug


def edition_initial(*, market: Market) -> dict:
    """What the form of the next edition proposes: the organiser changes it before saving."""
    title = title_shift(market.title)
    return {
        "title": title,
        "slug": edition_slug(market=market),
        "opens_at": year_shift(market.opens_at),
        "closes_at": year_shift(market.closes_at),
        "commission_bps": market.commission_bps,
        "shipping_allowed": market.shipping_allowed,
    }


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def pickup_points_copy(*, source: Market, target: Market) -> list[PickupPoint]:
    """The pick-up points of `source` (their address and opening hours) on `target`, with
    their slots moved as the opening moved, at the same Paris hour."""
    fields = ["sort_order", "name", "address", "postcode", "city", "opening_hours"]
    moved = _local(target.opens_at) - _local(source.opens_at)
    zone = timezone.get_current_timezone()
    points = []
    for point in source.pickup_points.order_by("sort_order", "pk").prefetch_related("slots"):
        copy = PickupPoint.objects.create(market=target, **{name: getattr(point, name)
                                                            for name in fields})
        PickupSlot.objects.bulk_create([
            PickupSlot(point=copy, capacity=slot.capacity,
                       starts_at=timezone.make_aware(_local(slot.starts_at) + moved, zone),
                       ends_at=timezone.make_aware(_local(slot.ends_at) + moved, zone))
            for slot in point.slots.all()
        ])
        points.append(copy)
    return points


def places_to_offer_again(*, market: Market):
    """Last edition's places worth offering again: those approved, unless the vendor is
    suspended on the platform. Suspended, refused or unanswered places are not."""
    return (
        MarketParticipation.objects.filter(market=market,
                                           state=MarketParticipation.State.APPROVED)
        .exclude(vendor__status=Vendor.Status.SUSPENDED)
        .select_related("vendor").order_by("vendor__name")
    )


@transaction.atomic
def market_next_edition_create(*, market: Market, edition: Market, user=None) -> Market:
    """Adds `edition` (a new, unsaved market page whose title, slug, dates, commission and
    shipping the organiser has chosen) next to `market`, as a draft: it takes the
    introduction, the projects, the pick-up points and their slots of `market`, and invites
    its approved vendors again, each at its own commission rate. The invitations are
    e-mailed when the page is published."""
    edition.intro = market.intro
    edition.is_paused = False
    edition.live = False
    edition.solidarity_projects.set(market.solidarity_projects.all())
    market.get_parent().add_child(instance=edition)
    pickup_points_copy(source=market, target=edition)
    MarketParticipation.objects.bulk_create([
        MarketParticipation(market=edition, vendor=place.vendor, sort_order=order,
                            commission_bps=place.commission_bps,
                            state=MarketParticipation.State.INVITED, invited_at=None)
        for order, place in enumerate(places_to_offer_again(market=market))
    ])
    edition.save_revision(user=user, log_action=True)
    return edition

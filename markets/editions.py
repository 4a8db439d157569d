"""The next edition of a market: last year's market, a year later, as a draft the organiser
reviews before publishing it (publication invites last year's vendors)."""

import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from vendors.models import Vendor

from .models import Market, MarketParticipation, PickupPoint

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


def pickup_points_copy(*, source: Market, target: Market) -> list[PickupPoint]:
    """The pick-up points of `source` (their address and opening hours), on `target`."""
    fields = ["sort_order", "name", "address", "postcode", "city", "opening_hours"]
    return [
        PickupPoint.objects.create(market=target, **{name: getattr(point, name)
                                                     for name in fields})
        for point in source.pickup_points.order_by("sort_order", "pk")
    ]


def vendors_to_invite(*, market: Market):
    """Last edition's vendors worth inviting again: those whose place was approved, unless
    they are suspended on the platform. Suspended, refused or unanswered places are not."""
    return (
        Vendor.objects.filter(participations__market=market,
                              participations__state=MarketParticipation.State.APPROVED)
        .exclude(status=Vendor.Status.SUSPENDED)
        .order_by("name")
    )


@transaction.atomic
def market_next_edition_create(*, market: Market, edition: Market, user=None) -> Market:
    """Adds `edition` (a new, unsaved market page whose title, slug, dates, commission and
    shipping the organiser has chosen) next to `market`, as a draft: it takes the
    introduction, the projects and the pick-up points of `market`, and invites its approved
    vendors again. The invitations are e-mailed when the page is published."""
    edition.intro = market.intro
    edition.is_paused = False
    edition.live = False
    edition.solidarity_projects.set(market.solidarity_projects.all())
    market.get_parent().add_child(instance=edition)
    pickup_points_copy(source=market, target=edition)
    MarketParticipation.objects.bulk_create([
        MarketParticipation(market=edition, vendor=vendor, sort_order=order,
                            state=MarketParticipation.State.INVITED, invited_at=None)
        for order, vendor in enumerate(vendors_to_invite(market=market))
    ])
    edition.save_revision(user=user, log_action=True)
    return edition

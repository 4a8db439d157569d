"""A market's status at a moment: the one rule, for an instance (`Market.status_at`) and
for the database (`market_status_filter`, `MarketQuerySet.in_status`)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.query import PageQuerySet


class MarketStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


def market_running_filter(*, now=None) -> Q:
    """Between its dates, paused or not (open or paused), as a database filter."""
    now = now or timezone.now()
    return Q(opens_at__lte=now, closes_at__gt=now)


def market_status_filter(status: str, *, now=None) -> Q:
    """`Market.status_at` as a database filter: the same rule, for querysets."""
    now = now or timezone.now()
    in_window = market_running_filter(now=now)
    return {
        MarketStatus.UPCOMING: Q(opens_at__gt=now),
        MarketStatus.CLOSED: Q(closes_at__lte=now),
        MarketStatus.PAUSED: in_window & Q(is_paused=True),
        MarketStatus.OPEN: in_window & Q(is_paused=False),
    }[status]


class MarketQuerySet(PageQuerySet):
    def in_status(self, status: str, *, now=None):
        return self.filter(market_status_filter(status, now=now))

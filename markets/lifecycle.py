"""Markets open and close at their dates on their own; this module tells the people
concerned, once: the vendors (« votre boutique est en ligne », « le marché est clos : vos
commandes à préparer ») and the organiser's team. Run by the `announce_markets` beat task
every minute; an announcement is recorded before its e-mails leave, so a second run, a
retried task or two workers never send it twice."""

from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.tasks import enqueue

# An announcement this late (the platform was down, or the market was published after its
# dates) is recorded but not sent: nobody wants « votre boutique est en ligne » a week on.
TOO_LATE = timedelta(days=1)


class MarketAnnouncement(models.Model):
    """That a market's opening or closing was announced, and when."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opening")
        CLOSED = "closed", _("Closing")

    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE,
                               related_name="announcements")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("announced at"))
    sent = models.BooleanField(_("e-mails sent"), default=True)

    class Meta:
        app_label = "markets"
        verbose_name = _("market announcement")
        verbose_name_plural = _("market announcements")
        constraints = [
            models.UniqueConstraint(fields=["market", "kind"], name="unique_announcement"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.market_id} · {self.at:%Y-%m-%d %H:%M}"


def markets_announce(*, now=None) -> list[tuple[int, str]]:
    """Announce the live markets that opened or closed since the last run. Returns the
    (market id, kind) announced now, sent or not."""
    from .models import Market
    from .status import MarketStatus, market_running_filter, market_status_filter

    now = now or timezone.now()
    live = Market.objects.live()
    due = [
        *((market, MarketAnnouncement.Kind.OPENED, market.opens_at)
          for market in live.filter(market_running_filter(now=now))
          .exclude(announcements__kind=MarketAnnouncement.Kind.OPENED)),
        *((market, MarketAnnouncement.Kind.CLOSED, market.closes_at)
          for market in live.filter(market_status_filter(MarketStatus.CLOSED, now=now))
          .exclude(announcements__kind=MarketAnnouncement.Kind.CLOSED)),
    ]
    announced = []
    for market, kind, since in due:
        if _record(market=market, kind=kind, now=now, send=now - since <= TOO_LATE):
            announced.append((market.pk, kind))
    return announced


def _record(*, market, kind: str, now, send: bool) -> bool:
    from . import tasks

    try:
        with transaction.atomic():
            MarketAnnouncement.objects.create(market=market, kind=kind, at=now, sent=send)
            if send:
                task = (tasks.send_market_opened if kind == MarketAnnouncement.Kind.OPENED
                        else tasks.send_market_closed)
                transaction.on_commit(lambda: enqueue(task, market.pk))
    except IntegrityError:  # announced meanwhile by another run
        return False
    return True

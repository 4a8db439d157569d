"""Where and when shoppers collect their orders: a market's pick-up points, written on the
market page, and the slots an organiser opens at each point, each for a number of
shoppers' baskets.

How many baskets a slot already holds is the shop's business (a checkout holds its slot
while its reservation is live, and for good once paid): the shop answers through the
`PICKUP_SLOT_BOOKINGS_HOOK` Wagtail hook, so this app never imports it."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

# Functions registered under this name take `slot_ids` and return {slot id: baskets held}.
PICKUP_SLOT_BOOKINGS_HOOK = "count_pickup_slot_bookings"


class PickupPoint(Orderable):
    """Where shoppers collect their orders during a market."""

    market = ParentalKey("markets.Market", on_delete=models.CASCADE,
                         related_name="pickup_points")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    opening_hours = models.TextField(_("opening hours"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("address"), FieldPanel("postcode"), FieldPanel("city")]),
        FieldPanel("opening_hours"),
    ]

    class Meta(Orderable.Meta):
        app_label = "markets"
        verbose_name = _("pick-up point")
        verbose_name_plural = _("pick-up points")

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class PickupSlot(models.Model):
    """A time at a pick-up point when up to `capacity` shoppers' baskets are collected."""

    point = models.ForeignKey(PickupPoint, verbose_name=_("pick-up point"),
                              on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1)],
        help_text=_("How many shoppers' baskets can be collected in this slot."),
    )

    class Meta:
        app_label = "markets"
        verbose_name = _("pick-up slot")
        verbose_name_plural = _("pick-up slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["point", "starts_at"], name="unique_pickup_slot"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1),
                                   name="pickup_slot_capacity_gte_1"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="pickup_slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.point.name}, {self.label}"

    @property
    def day_label(self) -> str:
        """« samedi 12 décembre », in Europe/Paris."""
        return format_date(timezone.localtime(self.starts_at),
                           pgettext("date format: weekday, day and month", "l, F j"))

    @property
    def hours_label(self) -> str:
        """« 10:00 – 11:00 »."""
        time_format = pgettext("time format: hours and minutes", "g:i A")
        starts = format_date(timezone.localtime(self.starts_at), time_format)
        ends = format_date(timezone.localtime(self.ends_at), time_format)
        return f"{starts} – {ends}"

    @property
    def label(self) -> str:
        return f"{self.day_label}, {self.hours_label}"


def slot_bookings(slot_ids) -> dict[int, int]:
    """How many shoppers' baskets each slot holds, as the shop counts them."""
    slot_ids = list(slot_ids)
    counts = dict.fromkeys(slot_ids, 0)
    for count in hooks.get_hooks(PICKUP_SLOT_BOOKINGS_HOOK):
        for slot_id, booked in count(slot_ids=slot_ids).items():
            counts[slot_id] = counts.get(slot_id, 0) + booked
    return counts

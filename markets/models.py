"""The market domain: organisers, their markets, who sells there, where shoppers collect
and which solidarity projects the sales support.

A market is a Wagtail page: an organiser opens, dates, pauses and staffs it in one page
form, and shoppers reach it by its address in the page tree. Its record lives here as
`Market`, with all that the shop, the payments, the API and the e-mails rely on (dates,
the status rule, commission, introduction, vendors, pick-up points, projects).
`cms.MarketPage` extends it (multi-table inheritance) with the banner and answers the
storefront routes with the site's templates, so every app below `cms` works with `Market`
and never imports a page. Solidarity projects are split the same way (`SolidarityProject`
here, `cms.SolidarityProjectPage` for its picture and what it raised). The record pages
cannot be created on their own (`is_creatable = False`): organisers create the presented
page and so fill in a single form, rather than a record and a page kept in step.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager

from .fields import CommissionRateField
from .page_participations import ParticipationStatePanel, participations_as_decided
from .status import MarketQuerySet, MarketStatus


class Organiser(models.Model):
    """An organisation that runs markets: a city's ESS hub, a reuse network. Its markets'
    commission is transferred to its Stripe connected account once transfers are active."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    stripe_account_id = models.CharField(_("Stripe account"), max_length=255, blank=True)
    payouts_enabled = models.BooleanField(_("payouts enabled"), default=False)
    transfers_active = models.BooleanField(_("transfers active"), default=False)

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganiserMembership(models.Model):
    """Links a user account to the organiser whose markets it manages."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="organiser_memberships",
    )
    organiser = models.ForeignKey(
        Organiser, verbose_name=_("organiser"), on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("organiser membership")
        verbose_name_plural = _("organiser memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organiser"], name="unique_organiser_membership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organiser}"


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class Market(RoutablePageMixin, Page):
    """A temporary seasonal market: dates, vendors, pick-up points and projects it supports."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(
        _("closes at"),
        help_text=format_lazy(
            _("A shopper already on the payment step may still pay for {minutes} minutes "
              "after closing."), minutes=settings.MARKET_CLOSING_GRACE_MINUTES),
    )
    is_paused = models.BooleanField(
        _("paused"), default=False,
        help_text=_("Stops sales at once, for instance during an incident."),
    )
    commission_bps = CommissionRateField(
        _("Commission (%)"), default=0,
        help_text=_("Taken on each vendor order, for instance 5 or 5,5; it goes to the "
                    "organiser. A vendor may have a rate of its own, under « Vendors »."),
    )
    shipping_allowed = models.BooleanField(_("shipping allowed"), default=False)
    solidarity_projects = ParentalManyToManyField(
        "markets.SolidarityProject", verbose_name=_("solidarity projects supported"),
        blank=True, related_name="markets",
    )

    objects = PageManager.from_queryset(MarketQuerySet)()

    is_creatable = False
    parent_page_types: list[str] = []
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("market")
        verbose_name_plural = _("markets")

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The market must close after it opens.")})

    def with_content_json(self, content):
        """The vendors' places are decided outside the page's revisions: kept as they are."""
        market = super().with_content_json(content)
        market.participations = participations_as_decided(
            market.participations.all(), MarketParticipation.objects.filter(market_id=self.pk))
        return market

    def status_at(self, moment=None) -> str:
        """The market's status at `moment` (now by default); `market_status_filter` is the
        same rule for the database."""
        moment = moment or timezone.now()
        if moment < self.opens_at:
            return MarketStatus.UPCOMING
        if moment >= self.closes_at:
            return MarketStatus.CLOSED
        if self.is_paused:
            return MarketStatus.PAUSED
        return MarketStatus.OPEN

    @cached_property
    def status(self) -> str:
        return self.status_at()

    @property
    def status_label(self) -> str:
        return MarketStatus(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status == MarketStatus.OPEN

    @property
    def dates_label(self) -> str:
        """« du 21 novembre au 24 décembre 2026 », in the active language."""
        opens = timezone.localtime(self.opens_at)
        closes = timezone.localtime(self.closes_at)
        full = pgettext("date format: day, month and year", "F j, Y")
        if opens.year == closes.year:
            start = format_date(opens, pgettext("date format: day and month", "F j"))
        else:
            start = format_date(opens, full)
        return gettext("from %(start)s to %(end)s") % {
            "start": start,
            "end": format_date(closes, full),
        }

    @property
    def opening_label(self) -> str:
        """When an upcoming market opens: « 21 novembre 2026 à 10:00 »."""
        opens = timezone.localtime(self.opens_at)
        return gettext("%(date)s at %(time)s") % {
            "date": format_date(opens, pgettext("date format: day, month and year", "F j, Y")),
            "time": format_date(opens, pgettext("time format: hours and minutes", "g:i A")),
        }

    @cached_property
    def organiser(self) -> Organiser | None:
        """The organiser whose space (the parent page) holds the market."""
        return Organiser.objects.filter(
            market_indexes__path=self.path[: -self.steplen]
        ).first()

    # The storefront's addresses belong to the market, so the basket and the e-mails can
    # link to a product from any `Market`; the page type that presents the market answers
    # them through `storefront`.
    @path("")
    def catalogue(self, request):
        return self.storefront(request, "catalogue")

    @path("produits/<slug:slug>-<int:pk>/")
    def product(self, request, slug, pk):
        return self.storefront(request, "product", slug=slug, pk=pk)

    @path("exposants/<slug:vendor_slug>/")
    def vendor(self, request, vendor_slug):
        return self.storefront(request, "vendor", vendor_slug=vendor_slug)

    @path("candidater/")
    def apply(self, request):
        return self.storefront(request, "apply")

    @path("candidater/envoyee/")
    def application_sent(self, request):
        return self.storefront(request, "application_sent")

    @path("transparence/")
    def transparency(self, request):
        return self.storefront(request, "transparency")

    def storefront(self, request, view: str, **kwargs):
        """Answered by the page type that presents the market (`cms.MarketPage`)."""
        raise Http404


class MarketParticipation(Orderable):
    """A vendor's place in a market: invited, applied, approved or refused."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        SUSPENDED = "suspended", _("Suspended")

    market = ParentalKey(Market, on_delete=models.CASCADE, related_name="participations")
    vendor = models.ForeignKey(
        "vendors.Vendor", verbose_name=_("vendor"), on_delete=models.CASCADE,
        related_name="participations",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.APPLIED, db_index=True
    )
    message = models.TextField(_("message to the vendor"), blank=True)
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True,
                                      editable=False)
    commission_bps = CommissionRateField(
        _("Commission (%)"), null=True, blank=True,
        help_text=_("Empty: the market's rate. 0 for no commission."))

    panels = [FieldPanel("vendor"), ParticipationStatePanel(heading=_("State")),
              FieldPanel("commission_bps"), FieldPanel("message")]

    class Meta(Orderable.Meta):
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["market", "vendor"], name="unique_participation"),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} @ {self.market}"


class SolidarityProject(Page):
    """A project that receives part of the sales: its beneficiary, summary, story, goal and
    the Stripe account its shares are transferred to."""

    beneficiary = models.CharField(_("beneficiary organisation"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    story = RichTextField(_("story"), blank=True, features=RICH_TEXT_FEATURES)
    goal_cents = models.PositiveIntegerField(_("goal (cents)"), default=0)
    stripe_account_id = models.CharField(_("Stripe account"), max_length=255, blank=True)
    transfers_active = models.BooleanField(_("transfers active"), default=False)

    is_creatable = False
    parent_page_types: list[str] = []
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("solidarity project")
        verbose_name_plural = _("solidarity projects")


# Defined with the code that writes it; imported here so that Django registers it.
from .lifecycle import MarketAnnouncement  # noqa: E402, F401
from .pickup import PickupPoint, PickupSlot  # noqa: E402, F401

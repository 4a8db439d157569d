"""Wagtail pages that present the markets to shoppers."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page
from wagtail.search import index

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class HomePage(Page):
    """The site root: introduces the network and lists its open and upcoming markets."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.MarketIndexPage", "cms.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import markets_for_home

        context = super().get_context(request, *args, **kwargs)
        context.update(markets_for_home())
        return context


class MarketIndexPage(Page):
    """An organiser's space: its markets and the solidarity projects it supports."""

    organiser = models.ForeignKey(
        "vendors.Organiser", verbose_name=_("organiser"), on_delete=models.PROTECT,
        related_name="market_indexes",
    )
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("organiser"), FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.MarketPage", "cms.SolidarityProjectPage"]

    class Meta:
        verbose_name = _("organiser's market index")
        verbose_name_plural = _("organisers' market indexes")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import with_amounts_raised

        context = super().get_context(request, *args, **kwargs)
        context["markets"] = (
            MarketPage.objects.child_of(self).live().order_by("-opens_at")
        )
        context["projects"] = with_amounts_raised(
            SolidarityProjectPage.objects.child_of(self).live()
        )
        return context


class MarketStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class MarketPage(RoutablePageMixin, Page):
    """A temporary seasonal market: dates, vendors, pick-up points and projects it supports."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    banner = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("banner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    is_paused = models.BooleanField(
        _("paused"), default=False,
        help_text=_("Stops sales at once, for instance during an incident."),
    )
    commission_bps = models.PositiveIntegerField(
        _("commission (basis points)"), default=0, validators=[MaxValueValidator(5000)],
        help_text=_("Taken on each vendor order: 500 = 5 %."),
    )
    shipping_allowed = models.BooleanField(_("shipping allowed"), default=False)
    solidarity_projects = ParentalManyToManyField(
        "cms.SolidarityProjectPage", verbose_name=_("solidarity projects supported"),
        blank=True, related_name="markets",
    )

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("banner"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("is_paused"),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [FieldPanel("commission_bps"), FieldPanel("shipping_allowed")],
            heading=_("Sales"),
        ),
        FieldPanel("solidarity_projects"),
        InlinePanel("participations", heading=_("Vendors"), label=_("Vendor")),
        InlinePanel("pickup_points", heading=_("Pick-up points"), label=_("Pick-up point")),
    ]

    parent_page_types = ["cms.MarketIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("market")
        verbose_name_plural = _("markets")

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The market must close after it opens.")})

    def status_at(self, moment=None) -> str:
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
    def organiser(self):
        parent = self.get_parent().specific
        return getattr(parent, "organiser", None)

    # Storefront routes: the views live in cms/views.py so the model stays about data.
    @path("")
    def catalogue(self, request):
        from cms.views import market_catalogue

        return market_catalogue(request, self)

    @path("produits/<slug:slug>-<int:pk>/")
    def product(self, request, slug, pk):
        from cms.views import market_product

        return market_product(request, self, pk=pk, slug=slug)

    @path("exposants/<slug:vendor_slug>/")
    def vendor(self, request, vendor_slug):
        from cms.views import market_vendor

        return market_vendor(request, self, vendor_slug=vendor_slug)

    @path("candidater/")
    def apply(self, request):
        from cms.application_views import market_apply

        return market_apply(request, self)

    @path("candidater/envoyee/")
    def application_sent(self, request):
        from cms.application_views import market_application_sent

        return market_application_sent(request, self)


class MarketParticipation(Orderable):
    """A vendor's place in a market: invited, applied, approved or refused."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    market = ParentalKey(MarketPage, on_delete=models.CASCADE, related_name="participations")
    vendor = models.ForeignKey(
        "vendors.Vendor", verbose_name=_("vendor"), on_delete=models.CASCADE,
        related_name="participations",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.APPLIED, db_index=True
    )
    message = models.TextField(_("message to the vendor"), blank=True)

    panels = [FieldPanel("vendor"), FieldPanel("state"), FieldPanel("message")]

    class Meta(Orderable.Meta):
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["market", "vendor"], name="unique_participation"),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} @ {self.market}"


class PickupPoint(Orderable):
    """Where shoppers collect their orders during a market."""

    market = ParentalKey(MarketPage, on_delete=models.CASCADE, related_name="pickup_points")
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
        verbose_name = _("pick-up point")
        verbose_name_plural = _("pick-up points")

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class SolidarityProjectPage(Page):
    """A project that receives part of the sales: its beneficiary, story and goal."""

    beneficiary = models.CharField(_("beneficiary organisation"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    story = RichTextField(_("story"), blank=True, features=RICH_TEXT_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    goal_cents = models.PositiveIntegerField(_("goal (cents)"), default=0)
    stripe_account_id = models.CharField(_("Stripe account"), max_length=255, blank=True)
    transfers_active = models.BooleanField(_("transfers active"), default=False)

    search_fields = [*Page.search_fields, index.SearchField("story")]

    content_panels = [
        *Page.content_panels,
        FieldPanel("beneficiary"),
        FieldPanel("summary"),
        FieldPanel("story"),
        FieldPanel("image"),
        FieldPanel("goal_cents"),
    ]

    parent_page_types = ["cms.MarketIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("solidarity project")
        verbose_name_plural = _("solidarity projects")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import markets_supporting, project_amount_raised_cents

        context = super().get_context(request, *args, **kwargs)
        context["amount_raised_cents"] = project_amount_raised_cents(self)
        context["supporting_markets"] = markets_supporting(self)
        return context


class StandardPage(Page):
    """A free content page: terms of sale, about, FAQ."""

    body = StreamField(
        [
            ("heading", blocks.CharBlock(form_classname="title", label=_("Heading"))),
            ("paragraph", blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Paragraph"))),
            ("image", ImageBlock(label=_("Image"))),
            (
                "quote",
                blocks.StructBlock(
                    [("text", blocks.TextBlock()), ("author", blocks.CharBlock(required=False))],
                    label=_("Quote"),
                    icon="openquote",
                ),
            ),
        ],
        verbose_name=_("body"),
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


@register_setting(icon="doc-full")
class ShopSettings(BaseSiteSetting):
    """Site-wide pages the shop links to."""

    terms_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("terms of sale page"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Linked from the checkout, where shoppers accept the terms of sale."),
    )

    panels = [FieldPanel("terms_page")]

    class Meta:
        verbose_name = _("shop settings")

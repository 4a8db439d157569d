"""Wagtail pages that present the markets to shoppers."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index

from cms.colours import validate_accent_colour
from markets.forms import MarketPageForm
from markets.models import Market, SolidarityProject

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
    subpage_types = ["cms.MarketIndexPage", "cms.StandardPage", "cms.LegalPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        """Find the deepest page the address names in one query, rather than a query for
        each level and another for its type (Wagtail's default): only the market page has
        routes of its own, and it has no children, so no page in between needs asking.
        Whether the page is live is still checked by its own `route`, and who may see it by
        Wagtail's view restrictions, after routing, as before."""
        if not path_components:
            return super().route(request, path_components)
        candidates = [
            self.url_path + "/".join(path_components[:depth]) + "/"
            for depth in range(1, len(path_components) + 1)
        ]
        page = (Page.objects.descendant_of(self).filter(url_path__in=candidates)
                .order_by("-depth").first())
        if page is None:
            raise Http404
        return page.specific.route(request, path_components[page.depth - self.depth:])

    def get_context(self, request, *args, **kwargs):
        from cms.home import home_showcase
        from markets.selectors import markets_for_home

        context = super().get_context(request, *args, **kwargs)
        context.update(markets_for_home())
        context.update(home_showcase(request, context["open_markets"]))
        return context


class MarketIndexPage(Page):
    """An organiser's space: its markets and the solidarity projects it supports."""

    organiser = models.ForeignKey(
        "markets.Organiser", verbose_name=_("organiser"), on_delete=models.PROTECT,
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
        from shop.orders.ledger import with_amounts_raised

        context = super().get_context(request, *args, **kwargs)
        context["markets"] = (
            MarketPage.objects.child_of(self).live().order_by("-opens_at")
        )
        context["projects"] = with_amounts_raised(
            SolidarityProjectPage.objects.child_of(self).live()
        )
        return context


class MarketPage(Market):
    """The market as visitors see it: the record of `markets.Market` with its
    banner, in one page form for the organiser; answers the storefront's routes."""

    banner = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("banner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    banner_alt = models.CharField(
        _("banner description"), max_length=200, blank=True,
        help_text=_("What the banner shows, for visitors who cannot see it. "
                    "Empty: the image's title."),
    )
    accent_color = models.CharField(
        _("accent colour"), max_length=7, blank=True, validators=[validate_accent_colour],
        help_text=_("Colour of the header band and buttons of this market, e.g. #8a1c1c. "
                    "It must be dark enough for white text. Empty: the site's green."),
    )

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("banner"), FieldPanel("banner_alt"), FieldPanel("accent_color")],
            heading=_("Look"),
        ),
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

    # A market is on sale between its own dates: Wagtail's go-live and expiry dates would
    # be a second, contradicting schedule, so they are not offered.
    settings_panels: list = []

    base_form_class = MarketPageForm
    parent_page_types = ["cms.MarketIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("market")
        verbose_name_plural = _("markets")

    def storefront(self, request, view: str, **kwargs):
        from cms import application_views, views

        answer = {
            "catalogue": views.market_catalogue,
            "product": views.market_product,
            "vendor": views.market_vendor,
            "apply": application_views.market_apply,
            "application_sent": application_views.market_application_sent,
            "transparency": views.market_transparency,
        }[view]
        return answer(request, self, **kwargs)


class SolidarityProjectPage(SolidarityProject):
    """A solidarity project as visitors see it: its picture, and what it raised."""

    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

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
        from markets.selectors import markets_supporting
        from shop.orders.ledger import project_amount_raised_cents, project_contributions_count

        context = super().get_context(request, *args, **kwargs)
        context["amount_raised_cents"] = project_amount_raised_cents(self)
        context["contributions"] = project_contributions_count(self)
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


class LegalPage(Page):
    """A page the law asks for: the legal notice, the privacy page, the terms of sale. Every
    page's footer links to those chosen in the shop settings."""

    body = RichTextField(_("text"), features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")


@register_setting(icon="doc-full")
class ShopSettings(BaseSiteSetting):
    """Site-wide pages the shop links to: the footer of every page links to the three of
    them (`cms.legal`), the checkout to the terms of sale."""

    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("legal notice page"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who publishes the site and who hosts it; linked from every page."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("privacy page"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("What is kept about shoppers and vendors, and for how long; linked from "
                    "every page."),
    )
    terms_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("terms of sale page"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Linked from the checkout, where shoppers accept the terms of sale."),
    )

    panels = [FieldPanel("legal_notice_page"), FieldPanel("privacy_page"),
              FieldPanel("terms_page")]

    class Meta:
        verbose_name = _("shop settings")

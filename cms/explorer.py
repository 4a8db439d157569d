"""The page explorer of an organiser's space: each market shows its dates and status."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView, GenericPageFilterSet
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from markets.models import Market, MarketStatus

from .models import MarketIndexPage


def _market_only(read):
    """The explorer lists the space's pages as their own types: projects have no dates."""
    return lambda page: read(page) if isinstance(page, Market) else ""


class MarketStatusColumn(StatusTagColumn):
    """A market's status as a tag; nothing for the other pages of the space."""

    cell_template_name = "cms/admin/market_status_cell.html"


class SpaceExplorerView(ExplorableIndexView):
    """The children of an organiser's space, markets with their dates and status."""

    @cached_property
    def explorable_columns(self):
        columns = super().explorable_columns
        market_columns = [
            Column("market_dates", label=_("Dates"),
                   accessor=_market_only(lambda market: market.dates_label)),
            MarketStatusColumn(
                "market_status", label=_("Market status"),
                accessor=_market_only(lambda market: market.status_label),
                primary=lambda page: isinstance(page, Market)
                and page.status == MarketStatus.OPEN,
            ),
        ]
        at = next((index for index, column in enumerate(columns) if column.name == "status"),
                  len(columns))
        return [*columns[:at], *market_columns, *columns[at:]]


class SpacePageViewSet(PageViewSet):
    """The pages of an organiser's space: the explorer lists them with the markets' dates
    and status (they are read from the specific pages the explorer loads anyway)."""

    model = MarketIndexPage
    index_view_class = SpaceExplorerView
    filterset_class = GenericPageFilterSet
    parent_models = [MarketIndexPage]

    def get_index_view_kwargs(self, **kwargs):
        # Its children are markets and projects: listed as pages, not as spaces.
        return super().get_index_view_kwargs(**{"model": Page, **kwargs})

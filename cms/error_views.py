"""The site's 404 page, in the look of the Wagtail site asked for: an address under a market
keeps that market (its breadcrumb, a search of its catalogue); elsewhere the site's open
markets are offered to search."""

from django.shortcuts import render
from wagtail.models import Site

from markets.selectors import live_markets
from markets.status import market_running_filter

# Outside a market, the 404 page offers to search this many of the site's open markets.
SEARCHED_MARKETS = 3


def page_not_found(request, exception=None):
    return render(request, "404.html", _context(request), status=404)


def _context(request) -> dict:
    context = {"market": None, "open_markets": [], "uses_htmx": False}
    root_path = _site_root_path(request)
    if root_path is None:
        return context
    markets = live_markets().filter(url_path__startswith=root_path)
    context["market"] = markets.filter(
        url_path__in=_page_paths(root_path, request.path)
    ).order_by("-depth").first()
    if context["market"] is None:
        context["open_markets"] = list(
            markets.filter(market_running_filter()).order_by("closes_at")[:SEARCHED_MARKETS]
        )
    return context


def _site_root_path(request) -> str | None:
    """The url_path of the root page of the Wagtail site serving `request` (from Wagtail's
    cached list of sites)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    return next(
        (root.root_path for root in Site.get_site_root_paths() if root.site_id == site.pk),
        None,
    )


def _page_paths(root_path: str, path: str) -> list[str]:
    """The url_paths of the pages `path` may be under: /a/b/ gives root/a/ and root/a/b/."""
    parts = [part for part in path.split("/") if part]
    return [f"{root_path}{'/'.join(parts[:end])}/" for end in range(1, len(parts) + 1)]

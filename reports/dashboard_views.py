"""The organisers' dashboards in the back office: one per market, the list of their
markets, and the panel of the admin home. A market outside the user's organiser spaces
answers 404, as every other organiser screen does."""

import dataclasses
import datetime

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from markets.models import Market
from markets.selectors import is_organiser, market_ids_for_organiser_user
from shop.money import format_cents
from shop.orders.ledger_version import ledger_version

from . import charts, figures
from .overview import market_overview

RECENT_DAYS = 30
# How long rendered ledger figures are kept at most: the ledger's version already drops
# them when money moves; this bounds how long a renamed vendor or project shows its old
# name, and what a cache that missed a version change can serve.
FIGURES_SECONDS = 300


def dashboard_markets(user):
    """The markets whose figures `user` may read: every one for a platform admin, those
    of its organisers' spaces for an organiser, none for anyone else."""
    if not user.is_authenticated:
        return Market.objects.none()
    market_ids = market_ids_for_organiser_user(user)
    markets = Market.objects.all() if market_ids is None else Market.objects.filter(
        pk__in=market_ids)
    return markets.order_by("-opens_at", "pk")


def recent_markets(user, *, now=None):
    """Markets running, or closed for less than `RECENT_DAYS` days, of the user's spaces."""
    now = now or timezone.now()
    return dashboard_markets(user).filter(
        opens_at__lte=now, closes_at__gt=now - datetime.timedelta(days=RECENT_DAYS))


def _money(cents: int) -> str:
    return format_cents(cents, get_language() or "fr")


def _count(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def _day_charts(days) -> dict:
    points = [charts.Point(formats.date_format(day.day, "j N"), day.sales_cents)
              for day in days]
    orders = [charts.Point(point.label, day.orders) for point, day in zip(points, days,
                                                                         strict=True)]
    axis = _("Day of payment")
    return {
        "sales_by_day": charts.column_chart(
            chart_id="chart-sales-day", title=_("Sales by day"), points=points,
            description=_("Sales of each day of the market, shipping included, "
                          "cancellations taken off."),
            value_label=_money, axis_label=axis, empty_text=_("No day to show yet.")),
        "orders_by_day": charts.column_chart(
            chart_id="chart-orders-day", title=_("Orders by day"), points=orders,
            description=_("Vendor orders paid each day of the market."),
            value_label=_count, axis_label=axis, empty_text=_("No day to show yet.")),
    }


def _named_charts(*, vendors, categories, projects) -> dict:
    no_sale = _("Nothing sold yet.")
    uncategorised = _("Uncategorised")
    return {
        "by_vendor": charts.bar_chart(
            chart_id="chart-vendors", title=_("Sales by vendor"), axis_label=_("Sales"),
            description=_("Each vendor's sales in the market, best first."),
            points=[charts.Point(v.name, v.sales_cents) for v in vendors],
            value_label=_money, empty_text=no_sale),
        "by_category": charts.bar_chart(
            chart_id="chart-categories", title=_("Sales by category"),
            axis_label=_("Items sold (shipping aside)"),
            description=_("Items sold in each product category, best first."),
            points=[charts.Point(c.name or uncategorised, c.sales_cents)
                    for c in categories],
            value_label=_money, empty_text=no_sale),
        "by_project": charts.bar_chart(
            chart_id="chart-projects", title=_("Amounts per solidarity project"),
            axis_label=_("Solidarity shares and donations"),
            description=_("What each project received: shares of the items sold and "
                          "the shoppers' donations."),
            points=[charts.Point(p.title or _("No project chosen"), p.total_cents)
                    for p in projects],
            value_label=_money, empty_text=_("No project has received anything yet.")),
    }


def _pickup_chart(pickups):
    return charts.bar_chart(
        chart_id="chart-pickups", title=_("Orders per pick-up point"), axis_label=_("Orders"),
        description=_("Orders to collect at each pick-up point, whatever their progress; "
                      "shipped orders apart."),
        points=[charts.Point(p.name or _("Shipped"), p.total) for p in pickups],
        value_label=_count, empty_text=_("No order to collect yet."))


def _per_point(by_slot) -> list:
    """The pick-up load per point, summed from its slots' (in the same order)."""
    points: dict = {}
    for load in by_slot:
        point = points.get(load.pickup_point_id)
        points[load.pickup_point_id] = dataclasses.replace(load, extra=()) if point is None \
            else dataclasses.replace(point, to_prepare=point.to_prepare + load.to_prepare,
                                     ready=point.ready + load.ready,
                                     handed_over=point.handed_over + load.handed_over)
    return list(points.values())


def _ledger_context(market) -> dict:
    overview = market_overview(market)
    days, vendors = overview.days, overview.vendors
    categories = figures.market_sales_by_category(market)
    projects = figures.market_project_amounts(market)
    return {
        "headline": overview.headline,
        "days": days, "vendors": vendors, "categories": categories, "projects": projects,
        "refunds": figures.market_refunds(market),
        "charts": {**_day_charts(days), **_named_charts(vendors=vendors, categories=categories,
                                                       projects=projects)},
    }


def _ledger_sections(request, market) -> str:
    """The sections read from the ledger, rendered, and kept until the ledger changes, the
    day changes or the market's dates do; names edited meanwhile show within
    `FIGURES_SECONDS`."""
    version = ledger_version()
    key = ":".join(("dashboard", str(market.pk), version or "", get_language() or "",
                    timezone.localdate().isoformat(), market.opens_at.isoformat(),
                    market.closes_at.isoformat()))
    html = cache.get(key) if version else None
    if html is None:
        html = render_to_string("reports/dashboard/ledger_sections.html",
                                _ledger_context(market), request=request)
        if version:
            cache.set(key, str(html), FIGURES_SECONDS)
    # Rendered by our own template, escaped there.
    return mark_safe(html)  # noqa: S308


def market_dashboard(request, market_id: int):
    """One market's figures: headline, by day, vendor, category, project and refunds from
    the ledger; the load of each pick-up point and slot from its orders' progress, read
    at each visit since it moves without money moving."""
    market = get_object_or_404(dashboard_markets(request.user), pk=market_id)
    by_slot = figures.market_pickup_load(
        market, group_by=(*figures.PICKUP_POINT_FIELDS, "pickup_slot__starts_at"))
    pickups = _per_point(by_slot)
    return TemplateResponse(request, "reports/dashboard/market.html", {
        "market": market,
        "page_title": _("Dashboard"),
        "ledger_sections": _ledger_sections(request, market),
        "pickups": pickups,
        "slots": [load for load in by_slot if load.extra[0] is not None],
        "pickup_chart": _pickup_chart(pickups),
    })


def _with_headlines(markets) -> list:
    markets = list(markets)
    headlines = figures.markets_headlines([market.pk for market in markets])
    for market in markets:
        market.headline = headlines[market.pk]
    return markets


def dashboard_index(request):
    """The markets of the user's spaces, with their sales so far, each leading to its
    dashboard."""
    if not is_organiser(request.user):
        raise Http404
    return TemplateResponse(request, "reports/dashboard/index.html", {
        "page_title": _("Dashboards"),
        "markets": _with_headlines(dashboard_markets(request.user)),
    })


def home_panel_context(user) -> dict:
    """The admin home's panel: the user's running and recent markets' key figures."""
    return {"markets": _with_headlines(recent_markets(user))}

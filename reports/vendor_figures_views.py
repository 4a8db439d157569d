"""« Mes chiffres »: the figures of the signed-in vendor, and nobody else's."""

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shop.money import format_cents
from vendors.selectors import vendor_for_user

from . import charts
from .vendor_figures import vendor_figures


def _money(cents: int) -> str:
    return format_cents(cents, get_language() or "fr")


def _charts(figures) -> dict:
    days = [charts.Point(formats.date_format(day, "j N"), cents) for day, cents in figures.days]
    products = [charts.Point(product.title, product.sales_cents)
                for product in figures.products]
    return {
        "sales_by_day": charts.column_chart(
            chart_id="chart-my-sales-day", title=_("My sales by day"), points=days,
            description=_("Your sales of each day of payment, shipping included, "
                          "cancellations taken off."),
            value_label=_money, axis_label=_("Day of payment"),
            empty_text=_("No sale yet.")),
        "sales_by_product": charts.bar_chart(
            chart_id="chart-my-sales-product", title=_("My best-selling products"),
            points=products,
            description=_("Units still sold of each product, by amount."),
            value_label=_money, axis_label=_("Sales"), empty_text=_("No sale yet.")),
    }


def _exports_url() -> str:
    try:
        return reverse("reports_exports:index")
    except NoReverseMatch:
        return ""


def my_figures_view(request):
    vendor = vendor_for_user(request.user)
    if vendor is None:
        raise Http404
    figures = vendor_figures(vendor_id=vendor.pk)
    return render(request, "reports/vendor_figures.html", {
        "vendor": vendor, "figures": figures, "exports_url": _exports_url(),
        **_charts(figures),
    })

"""What each kind of export lists: its columns and its rows, read in batches so that a
market of any size is written with bounded memory."""

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext as _

from shop.models import Checkout, Order, OrderLine

from ..models import ReportExport
from .totals import project_totals, vendor_totals

BATCH_SIZE = 2000


class Type(Enum):
    TEXT = "text"
    INTEGER = "integer"
    CENTS = "cents"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    label: str
    type: Type = Type.TEXT
    width: int = 14


@dataclass(frozen=True)
class Table:
    """The columns of an export, how many rows it has and the rows themselves (tuples of
    str, int cents, int or aware datetime, in the order of the columns)."""

    columns: list[Column]
    count: int
    rows: Iterator[tuple]


def _paid_orders(export: ReportExport):
    orders = Order.objects.filter(checkout__market_id=export.market_id,
                                  checkout__state=Checkout.State.PAID)
    if export.vendor_id:
        orders = orders.filter(vendor_id=export.vendor_id)
    return orders


def _orders_table(export: ReportExport) -> Table:
    orders = _paid_orders(export).order_by("pk")
    columns = [
        Column(_("Order"), width=22), Column(_("Checkout"), width=14),
        Column(_("Paid on"), Type.DATETIME, 17), Column(_("Vendor"), width=28),
        Column(_("State"), width=16), Column(_("Fulfilment"), width=12),
        Column(_("Items"), Type.CENTS), Column(_("Shipping"), Type.CENTS),
        Column(_("Total"), Type.CENTS), Column(_("Commission"), Type.CENTS),
        Column(_("Solidarity shares"), Type.CENTS), Column(_("Vendor net"), Type.CENTS),
        Column(_("Refunded"), Type.CENTS),
    ]
    states = dict(Order.State.choices)
    methods = dict(Order._meta.get_field("fulfilment_method").choices)
    values = orders.values_list(
        "number", "checkout__reference", "paid_at", "vendor__name", "state",
        "fulfilment_method", "shipping_cents", "gross_cents", "commission_cents",
        "solidarity_cents", "vendor_net_cents", "refunded_cents",
    )

    def rows():
        for (number, reference, paid_at, vendor, state, method, shipping, gross, commission,
             solidarity, net, refunded) in values.iterator(chunk_size=BATCH_SIZE):
            yield (number, reference, paid_at, vendor, str(states.get(state, state)),
                   str(methods.get(method, method)), gross - shipping, shipping, gross,
                   commission, solidarity, net, refunded)

    return Table(columns, orders.count(), rows())


def _order_lines_table(export: ReportExport) -> Table:
    lines = OrderLine.objects.filter(order__in=_paid_orders(export)).order_by("pk")
    columns = [
        Column(_("Order"), width=22), Column(_("Paid on"), Type.DATETIME, 17),
        Column(_("Vendor"), width=28), Column(_("Item"), width=40),
        Column(_("Unit price"), Type.CENTS), Column(_("Quantity"), Type.INTEGER, 10),
        Column(_("Units cancelled"), Type.INTEGER, 10), Column(_("Amount kept"), Type.CENTS),
        Column(_("Solidarity project"), width=30), Column(_("Solidarity share"), Type.CENTS),
    ]
    values = lines.values_list(
        "order__number", "order__paid_at", "order__vendor__name", "title",
        "unit_price_cents", "quantity", "cancelled_quantity",
        "solidarity_project__title", "solidarity_cents",
    )

    def rows():
        for (number, paid_at, vendor, title, unit, quantity, cancelled, project,
             share) in values.iterator(chunk_size=BATCH_SIZE):
            yield (number, paid_at, vendor, title, unit, quantity, cancelled,
                   unit * (quantity - cancelled), project or "", share)

    return Table(columns, lines.count(), rows())


def _vendor_statement_table(export: ReportExport) -> Table:
    totals = vendor_totals(market_id=export.market_id, vendor_id=export.vendor_id)
    columns = [
        Column(_("Vendor"), width=30), Column(_("Orders"), Type.INTEGER, 10),
        Column(_("Sales (shipping included)"), Type.CENTS, 16),
        Column(_("of which shipping"), Type.CENTS), Column(_("Refunds"), Type.CENTS),
        Column(_("Commission"), Type.CENTS), Column(_("Solidarity shares"), Type.CENTS),
        Column(_("Vendor net"), Type.CENTS), Column(_("Transferred"), Type.CENTS),
        Column(_("Still owed"), Type.CENTS),
    ]
    rows = (
        (line.name, line.order_count, line.gross_cents, line.shipping_cents,
         line.refunds_cents, line.commission_cents, line.solidarity_cents, line.net_cents,
         line.transferred_cents, line.owed_cents)
        for line in totals
    )
    return Table(columns, len(totals), rows)


def _project_statement_table(export: ReportExport) -> Table:
    totals = project_totals(market_id=export.market_id)
    columns = [
        Column(_("Solidarity project"), width=34), Column(_("Solidarity shares"), Type.CENTS),
        Column(_("Donations"), Type.CENTS),
        Column(_("Refunds and cancellations"), Type.CENTS, 16), Column(_("Total"), Type.CENTS),
        Column(_("Transferred"), Type.CENTS), Column(_("Still owed"), Type.CENTS),
    ]
    rows = (
        (line.title or _("No project chosen"), line.shares_cents, line.donations_cents,
         line.withdrawn_cents, line.total_cents, line.transferred_cents, line.owed_cents)
        for line in totals
    )
    return Table(columns, len(totals), rows)


TABLES = {
    ReportExport.Kind.ORDERS: _orders_table,
    ReportExport.Kind.ORDER_LINES: _order_lines_table,
    ReportExport.Kind.VENDOR_STATEMENT: _vendor_statement_table,
    ReportExport.Kind.PROJECT_STATEMENT: _project_statement_table,
}


def export_table(export: ReportExport) -> Table:
    return TABLES[ReportExport.Kind(export.kind)](export)

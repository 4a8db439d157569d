"""The ledger of one market summed per vendor and per solidarity project, for the
statements (exported and printed). Only paid checkouts count; cancelled units and refunds
are already in the ledger as negative shares and REFUND entries, so for every vendor
gross − refunds = commission + shares + net, and net = transferred + still owed."""

from dataclasses import dataclass

from django.db.models import Count, F, Sum

from markets.models import SolidarityProject
from payments.models import Transfer
from shop.models import Checkout, LedgerEntry, Order
from vendors.models import Vendor

from ..figures import cents_of, paid_entries

Kind = LedgerEntry.Kind
TRANSFERRED_STATES = (Transfer.State.SENT, Transfer.State.PARTIALLY_REVERSED,
                      Transfer.State.REVERSED)


@dataclass
class VendorTotals:
    vendor_id: int
    name: str
    order_count: int = 0
    shipping_cents: int = 0
    refunds_cents: int = 0
    commission_cents: int = 0
    solidarity_cents: int = 0
    net_cents: int = 0
    transferred_cents: int = 0

    @property
    def gross_cents(self) -> int:
        """What shoppers were charged for the vendor's items and shipping, before refunds."""
        return self.net_cents + self.commission_cents + self.solidarity_cents + self.refunds_cents

    @property
    def owed_cents(self) -> int:
        return self.net_cents - self.transferred_cents


@dataclass
class ProjectTotals:
    project_id: int | None
    title: str
    shares_cents: int = 0
    donations_cents: int = 0
    withdrawn_cents: int = 0
    transferred_cents: int = 0

    @property
    def total_cents(self) -> int:
        return self.shares_cents + self.donations_cents - self.withdrawn_cents

    @property
    def owed_cents(self) -> int:
        return self.total_cents - self.transferred_cents


def vendor_totals(*, market_id: int, vendor_id: int | None = None) -> list[VendorTotals]:
    """One `VendorTotals` per vendor with a paid order in the market (or `vendor_id`'s
    only), by name; four queries whatever the number of vendors."""
    orders = Order.objects.filter(checkout__market_id=market_id,
                                  checkout__state=Checkout.State.PAID)
    if vendor_id is not None:
        orders = orders.filter(vendor_id=vendor_id)
    counts = {
        row["vendor_id"]: row for row in orders.values("vendor_id").annotate(
            orders=Count("pk"), shipping=Sum("shipping_cents", default=0)).order_by()
    }
    names = dict(Vendor.objects.filter(pk__in=counts).values_list("pk", "name"))
    totals = {
        pk: VendorTotals(pk, names[pk], row["orders"], row["shipping"])
        for pk, row in counts.items()
    }
    sums = (
        paid_entries([market_id]).filter(order__vendor_id__in=counts)
        .values(seller=F("order__vendor_id"))
        .annotate(refunds=cents_of([Kind.REFUND]), commission=cents_of([Kind.COMMISSION]),
                  solidarity=cents_of([Kind.SOLIDARITY]), net=cents_of([Kind.VENDOR_NET]))
        .order_by()
    )
    for row in sums:
        line = totals[row["seller"]]
        line.refunds_cents, line.commission_cents = row["refunds"], row["commission"]
        line.solidarity_cents, line.net_cents = row["solidarity"], row["net"]
    transfers = (
        Transfer.objects.filter(kind=Transfer.Kind.VENDOR, order__in=orders,
                                state__in=TRANSFERRED_STATES)
        .values(seller=F("order__vendor_id"))
        .annotate(sent=Sum(F("amount_cents") - F("reversed_cents"))).order_by()
    )
    for row in transfers:
        totals[row["seller"]].transferred_cents = row["sent"]
    return sorted(totals.values(), key=lambda line: (line.name.lower(), line.vendor_id))


def project_totals(*, market_id: int, project_id: int | None = None) -> list[ProjectTotals]:
    """One `ProjectTotals` per project that received something in the market, by title;
    a shopper's donation without a chosen project comes last, with no id."""
    entries = paid_entries([market_id]).filter(kind__in=(Kind.SOLIDARITY, Kind.DONATION))
    if project_id is not None:
        entries = entries.filter(project_id=project_id)
    sums = entries.values("project_id").annotate(
        shares=cents_of([Kind.SOLIDARITY], amount_cents__gt=0),
        donations=cents_of([Kind.DONATION], amount_cents__gt=0),
        withdrawn=cents_of([Kind.SOLIDARITY, Kind.DONATION], amount_cents__lt=0),
    ).order_by()
    titles = dict(SolidarityProject.objects.filter(
        pk__in=[row["project_id"] for row in sums if row["project_id"]]
    ).values_list("pk", "title"))
    totals = {
        row["project_id"]: ProjectTotals(
            row["project_id"], titles.get(row["project_id"], ""), row["shares"],
            row["donations"], -row["withdrawn"])
        for row in sums
    }
    transfers = (
        Transfer.objects.filter(kind=Transfer.Kind.PROJECT, project_id__in=[
            pk for pk in totals if pk], checkout__market_id=market_id,
            state__in=TRANSFERRED_STATES)
        .values("project_id")
        .annotate(sent=Sum(F("amount_cents") - F("reversed_cents"))).order_by()
    )
    for row in transfers:
        totals[row["project_id"]].transferred_cents = row["sent"]
    return sorted(totals.values(), key=lambda line: (
        line.project_id is None, line.title.lower(), line.project_id or 0))

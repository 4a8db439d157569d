"""Reads on donated objects: the projects a donor may choose, a vendor's offers, and what
became of an object (on sale, sold and for how much to its project)."""

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from markets.models import SolidarityProject
from markets.selectors import markets_of_vendor, participation_commission_bps
from shop.donations.models import DonatedObject
from shop.orders.models import Order, OrderLine
from vendors.models import Vendor

SOLD_STATES = (Order.State.PAID, Order.State.READY, Order.State.FULFILLED,
               Order.State.PARTIALLY_REFUNDED)


def vendor_markets_ahead(vendor: Vendor, *, now=None):
    """The vendor's markets that have not closed yet (approved participation)."""
    return markets_of_vendor(vendor).filter(closes_at__gt=now or timezone.now())


def donation_projects(vendor: Vendor, *, now=None) -> QuerySet[SolidarityProject]:
    """What a donor may choose: the vendor's own project and those of the markets it takes
    part in that have not closed."""
    markets = vendor_markets_ahead(vendor, now=now)
    chosen = Q(markets__in=markets.values("pk"))
    if vendor.default_solidarity_project_id:
        chosen |= Q(pk=vendor.default_solidarity_project_id)
    return SolidarityProject.objects.live().filter(
        pk__in=SolidarityProject.objects.filter(chosen).values("pk")).order_by("title")


def vendor_takes_donations(vendor: Vendor) -> bool:
    return (vendor.accepts_donations and vendor.status == Vendor.Status.APPROVED
            and donation_projects(vendor).exists())


def highest_commission_bps(vendor: Vendor, *, now=None) -> int:
    """The highest rate the vendor pays among its markets that have not closed: a donated
    object may sell in any of them."""
    participations = vendor.participations.filter(
        market__in=vendor_markets_ahead(vendor, now=now)).select_related("market")
    return max((participation_commission_bps(p) for p in participations), default=0)


def donations_of_vendor(vendor: Vendor | None) -> QuerySet[DonatedObject]:
    """Every offer made to `vendor`, newest first; none without a vendor."""
    if vendor is None:
        return DonatedObject.objects.none()
    return (DonatedObject.objects.filter(vendor=vendor)
            .select_related("project", "product").order_by("-created_at", "-pk"))


def sold_lines(product_ids) -> dict[int, OrderLine]:
    """{product id: the order line that sold it and was not cancelled since}."""
    lines = OrderLine.objects.filter(product_id__in=[pk for pk in product_ids if pk],
                                     order__state__in=SOLD_STATES,
                                     cancelled_quantity__lt=F("quantity")).order_by("pk")
    return {line.product_id: line for line in lines}


@dataclass(frozen=True)
class DonationStatus:
    code: str
    label: str
    project_cents: int = 0


def donation_status(donation: DonatedObject, sold: dict | None = None) -> DonationStatus:
    """Offered, declined, on sale or sold (with what went to the project). `sold` is what
    `sold_lines` answers for a listing; read for this object otherwise."""
    if donation.state == DonatedObject.State.OFFERED:
        return DonationStatus("offered", _("Offered"))
    if donation.state == DonatedObject.State.DECLINED:
        return DonationStatus("declined", _("Declined"))
    if sold is None:
        sold = sold_lines([donation.product_id])
    line = sold.get(donation.product_id)
    if line is not None:
        return DonationStatus("sold", _("Sold"), line.solidarity_cents)
    return DonationStatus("on_sale", _("Accepted, on sale"))

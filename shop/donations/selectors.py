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


def sold_line(donation: DonatedObject) -> OrderLine | None:
    """The order line that sold the object and was not cancelled since."""
    if donation.product_id is None:
        return None
    return (OrderLine.objects.filter(product_id=donation.product_id,
                                     order__state__in=SOLD_STATES,
                                     cancelled_quantity__lt=F("quantity"))
            .select_related("order").order_by("-pk").first())


@dataclass(frozen=True)
class DonationStatus:
    code: str
    label: str
    project_cents: int = 0


def donation_status(donation: DonatedObject) -> DonationStatus:
    """Offered, declined, on sale or sold (with what went to the project)."""
    if donation.state == DonatedObject.State.OFFERED:
        return DonationStatus("offered", _("Offered"))
    if donation.state == DonatedObject.State.DECLINED:
        return DonationStatus("declined", _("Declined"))
    line = sold_line(donation)
    if line is not None:
        return DonationStatus("sold", _("Sold"), line.solidarity_cents)
    return DonationStatus("on_sale", _("Accepted, on sale"))

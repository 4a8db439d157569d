"""Reads of the shopper's basket: its lines grouped by vendor, each with the units still
available, until when the basket is held for its payment, and the count shown in the
site header."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shop.catalogue.selectors import products_on_sale
from shop.checkout.models import Cart, CartLine, Reservation


@dataclass
class BasketLine:
    """A basket line, the units the shopper can still have and, if not all, why."""

    line: CartLine
    available: int
    problem: str = ""

    @property
    def product(self):
        return self.line.product

    @property
    def vendor(self):
        return self.line.product.vendor

    @property
    def quantity(self) -> int:
        return self.line.quantity

    @property
    def total_cents(self) -> int:
        return self.line.product.price_cents * self.line.quantity

    @property
    def is_available(self) -> bool:
        return not self.problem


@dataclass
class VendorGroup:
    vendor: object
    lines: list[BasketLine] = field(default_factory=list)

    @property
    def subtotal_cents(self) -> int:
        return sum(line.total_cents for line in self.lines if line.is_available)


@dataclass
class Basket:
    cart: Cart | None
    groups: list[VendorGroup] = field(default_factory=list)
    # When the first of its units held for the payment goes back on sale; None when the
    # review has not held them (or the hold lapsed).
    reserved_until: datetime | None = None

    @property
    def market(self):
        return self.cart.market if self.cart else None

    @property
    def lines(self) -> list[BasketLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def available_lines(self) -> list[BasketLine]:
        return [line for line in self.lines if line.is_available]

    @property
    def unavailable_lines(self) -> list[BasketLine]:
        return [line for line in self.lines if not line.is_available]

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def total_cents(self) -> int:
        return sum(group.subtotal_cents for group in self.groups)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def cart_of_session(*, session_key: str | None) -> Cart | None:
    """The session's basket with its market, or None; never creates one."""
    if not session_key:
        return None
    return Cart.objects.select_related("market").filter(session_key=session_key).first()


def reserved_by_others(
    *, product_ids, cart: Cart | None = None, checkout=None, now=None
) -> dict[int, int]:
    """Units of each product held by unexpired reservations, leaving out those of `cart`'s
    checkouts (a shopper's own basket) or of `checkout` (the one being reserved or paid)."""
    queryset = Reservation.objects.filter(
        product_id__in=list(product_ids), expires_at__gt=now or timezone.now()
    )
    if cart is not None:
        queryset = queryset.exclude(checkout__cart_id=cart.pk)
    if checkout is not None:
        queryset = queryset.exclude(checkout=checkout)
    rows = queryset.values("product_id").annotate(held=Sum("quantity"))
    return {row["product_id"]: row["held"] for row in rows}


def units_left(product, held: dict[int, int]) -> int:
    """The units of `product` that nobody else holds: its stock less `held` (from
    `reserved_by_others`), never below 0."""
    return max(product.stock - held.get(product.pk, 0), 0)


def _problem(line: CartLine, *, on_sale: bool, available: int) -> str:
    product = line.product
    if not on_sale:
        if not product.is_active:
            return _("This item is no longer on sale.")
        return _("This seller no longer sells in this market.")
    if available == 0 and product.stock == 0:
        return _("This item has been sold.")
    if available == 0:
        return _("This item is reserved in another basket.")
    if available < line.quantity:
        return ngettext(
            "Only %(count)d unit is left: lower the quantity.",
            "Only %(count)d units are left: lower the quantity.",
            available,
        ) % {"count": available}
    return ""


def basket_for_cart(cart: Cart | None, *, now=None) -> Basket:
    """The basket's lines grouped by vendor (in the order vendors were first added), each
    with the units available. A fixed number of queries, whatever the basket holds."""
    if cart is None or cart.market_id is None:
        return Basket(cart=cart)
    lines = list(
        cart.lines.select_related("product__vendor", "product__solidarity_project")
        .order_by("added_at", "pk")
    )
    if not lines:
        return Basket(cart=cart)
    product_ids = [line.product_id for line in lines]
    on_sale = set(
        products_on_sale(market=cart.market).filter(pk__in=product_ids).values_list("pk", flat=True)
    )
    held, reserved_until = _holds(product_ids=product_ids, cart=cart, now=now)
    groups: dict[int, VendorGroup] = {}
    for line in lines:
        product = line.product
        available = units_left(product, held) if product.pk in on_sale else 0
        group = groups.setdefault(product.vendor_id, VendorGroup(vendor=product.vendor))
        group.lines.append(
            BasketLine(
                line=line,
                available=available,
                problem=_problem(line, on_sale=product.pk in on_sale, available=available),
            )
        )
    return Basket(cart=cart, groups=list(groups.values()), reserved_until=reserved_until)


def _holds(*, product_ids, cart: Cart, now=None) -> tuple[dict[int, int], datetime | None]:
    """In one query: the units of each product held by other shoppers (as
    `reserved_by_others`), and when the first hold of `cart`'s own checkout lapses."""
    mine = Q(checkout__cart_id=cart.pk)
    rows = (
        Reservation.objects.filter(product_id__in=list(product_ids),
                                   expires_at__gt=now or timezone.now())
        .values("product_id")
        .annotate(others=Sum("quantity", filter=~mine), until=Min("expires_at", filter=mine))
    )
    held, untils = {}, []
    for row in rows:
        held[row["product_id"]] = row["others"] or 0
        if row["until"]:
            untils.append(row["until"])
    return held, min(untils, default=None)


def basket_count(*, session_key: str | None) -> int:
    """Units in the session's basket, for the site header."""
    if not session_key:
        return 0
    return (
        CartLine.objects.filter(cart__session_key=session_key)
        .aggregate(units=Sum("quantity"))["units"]
        or 0
    )


def needs_project_choice(basket: Basket) -> bool:
    """Whether a line gives a share without a project of its own: the shopper chooses."""
    return any(
        line.product.solidarity_bps and not line.product.solidarity_project_id
        for line in basket.available_lines
    )

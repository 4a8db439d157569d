"""What the shopper is about to pay, read live from the basket before the review holds
it: per vendor, the items, shipping and the share given to each project; then the
donation and the total."""

from dataclasses import dataclass

from shop.catalogue.selectors import share_project_id
from shop.checkout.pricing import checkout_amounts
from shop.checkout.selectors import Basket, BasketLine


@dataclass(frozen=True)
class AmountLine:
    """A basket line as `checkout_amounts` reads it."""

    vendor_id: int
    unit_price_cents: int
    quantity: int
    solidarity_bps: int
    solidarity_project_id: int | None
    solidarity_unit_cents: int | None = None


def amount_lines(*, basket: Basket, checkout) -> list[AmountLine]:
    """The lines that can be ordered, each with the project its share goes to."""
    lines = []
    for basket_line in basket.available_lines:
        product = basket_line.product
        project_id = share_project_id(product, chosen_project_id=checkout.chosen_project_id)
        lines.append(
            AmountLine(
                vendor_id=product.vendor_id,
                unit_price_cents=product.price_cents,
                quantity=basket_line.quantity,
                solidarity_bps=product.solidarity_bps if project_id else 0,
                solidarity_project_id=project_id,
                solidarity_unit_cents=product.solidarity_unit_cents if project_id else None,
            )
        )
    return lines


@dataclass
class VendorReview:
    vendor: object
    lines: list[BasketLine]
    fulfilment: object
    split: object
    shares: list[tuple[object, int]]

    @property
    def items_cents(self) -> int:
        return self.split.gross_cents - self.split.shipping_cents


@dataclass
class CheckoutReview:
    vendors: list[VendorReview]
    subtotal_cents: int
    donation_cents: int

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents + self.donation_cents

    @property
    def solidarity_cents(self) -> int:
        return sum(vendor.split.solidarity_cents for vendor in self.vendors)


def checkout_review(*, checkout, basket: Basket, fulfilments) -> CheckoutReview:
    """What the shopper is about to pay, per vendor: items, shipping and the share given
    to each project; then the donation and the total."""
    splits, subtotal, donation = checkout_amounts(
        checkout=checkout, lines=amount_lines(basket=basket, checkout=checkout),
        fulfilments=fulfilments,
    )
    projects = {}
    if checkout.chosen_project_id:
        projects[checkout.chosen_project_id] = checkout.chosen_project
    for line in basket.available_lines:
        if line.product.solidarity_project_id:
            projects[line.product.solidarity_project_id] = line.product.solidarity_project
    by_vendor = {fulfilment.vendor_id: fulfilment for fulfilment in fulfilments}
    vendors = []
    for group in basket.groups:
        split = splits.get(group.vendor.pk)
        if split is None:
            continue
        vendors.append(
            VendorReview(
                vendor=group.vendor,
                lines=[line for line in group.lines if line.is_available],
                fulfilment=by_vendor.get(group.vendor.pk),
                split=split,
                shares=[
                    (projects.get(project_id), cents)
                    for project_id, cents in split.solidarity_by_project.items()
                ],
            )
        )
    return CheckoutReview(vendors=vendors, subtotal_cents=subtotal, donation_cents=donation)

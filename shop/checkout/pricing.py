"""What a checkout costs: per-vendor splits, subtotal and donation, live or as frozen."""

from markets.selectors import commission_rates
from shop.checkout.models import Checkout, CheckoutFulfilment
from shop.money import LineInput, order_split, round_up_donation


def checkout_amounts(
    *, checkout: Checkout, lines, fulfilments=None, frozen: bool = False
) -> tuple[dict, int, int]:
    """Per-vendor splits, the goods-and-shipping subtotal and the donation, from lines
    (CheckoutLine-like: vendor_id, unit_price_cents, quantity, solidarity_bps,
    solidarity_project_id, solidarity_unit_cents). `fulfilments` (with their vendors) are
    read when not given.

    Before the payment step the shipping fees, each vendor's commission rate and the
    donation are read live; with `frozen`, as the last reservation froze them (the rate on
    each line): what was charged."""
    if fulfilments is None:
        fulfilments = checkout.fulfilments.select_related("vendor")
    fulfilments = {f.vendor_id: f for f in fulfilments}
    by_vendor: dict[int, list] = {}
    for line in lines:
        by_vendor.setdefault(line.vendor_id, []).append(line)
    if frozen:
        rates = {vendor_id: vendor_lines[0].commission_bps
                 for vendor_id, vendor_lines in by_vendor.items()}
    else:
        rates = commission_rates(market=checkout.market, vendor_ids=by_vendor)
    splits = {}
    for vendor_id, vendor_lines in by_vendor.items():
        splits[vendor_id] = order_split(
            lines=[
                LineInput(line.unit_price_cents, line.quantity, line.solidarity_bps,
                          line.solidarity_project_id, line.solidarity_unit_cents)
                for line in vendor_lines
            ],
            shipping_cents=_shipping_cents(fulfilments.get(vendor_id), frozen=frozen),
            commission_bps=rates[vendor_id],
        )
    subtotal = sum(split.gross_cents for split in splits.values())
    if frozen:
        donation = checkout.frozen_donation_cents
    elif checkout.donation_round_up:
        donation = round_up_donation(subtotal)
    else:
        donation = checkout.donation_cents
    return splits, subtotal, donation


def _shipping_cents(fulfilment, *, frozen: bool) -> int:
    if fulfilment is None:
        return 0
    if frozen:
        return fulfilment.frozen_shipping_cents
    if fulfilment.method == CheckoutFulfilment.Method.SHIPPING:
        return fulfilment.vendor.shipping_fee_cents
    return 0

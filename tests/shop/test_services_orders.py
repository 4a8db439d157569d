"""After payment: preparing, handing over and cancelling units of a vendor order."""

import pytest
from django.core import mail
from django.db.models import Sum
from django.utils import translation

from shop.models import LedgerEntry, Order, Product
from shop.orders.services import (
    InvalidQuantities,
    InvalidTransition,
    TrackingNumberRequired,
    order_lines_cancel,
    order_mark_fulfilled,
    order_mark_ready,
    order_refund_preview,
)
from tests.factories import (
    MarketPageFactory,
    ProductFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    paid_checkout,
    paid_order,
)

pytestmark = pytest.mark.django_db


def ledger_total(checkout) -> int:
    return LedgerEntry.objects.filter(checkout=checkout).aggregate(
        total=Sum("amount_cents"))["total"]


def booked(order, kind, project=None) -> int:
    entries = LedgerEntry.objects.filter(order=order, kind=kind)
    if project is not None:
        entries = entries.filter(project=project)
    return entries.aggregate(total=Sum("amount_cents"))["total"] or 0


@pytest.fixture
def project():
    return SolidarityProjectPageFactory()


@pytest.fixture
def shipping_vendor():
    return VendorFactory(ships=True, shipping_fee_cents=690)


def two_line_order(project, *, vendor=None, shipping=False):
    """3 × 10,01 € mugs (15 % to the project) and 1 × 24,99 € lamp, market commission 5 %."""
    vendor = vendor or VendorFactory()
    mug = ProductFactory(vendor=vendor, title="Mug", slug="mug", price_cents=1001, stock=5,
                         solidarity_bps=1500, solidarity_project=project)
    lamp = ProductFactory(vendor=vendor, title="Lampe", slug="lampe", price_cents=2499, stock=1)
    checkout = paid_checkout([(mug, 3), (lamp, 1)], donation_cents=200, chosen_project=project,
                             shipping_vendors=[vendor] if shipping else ())
    order = checkout.orders.get()
    lines = {line.title: line for line in order.lines.all()}
    return checkout, order, lines["Mug"], lines["Lampe"]


# State machine


def test_a_paid_order_becomes_ready_and_the_shopper_is_emailed(
    django_capture_on_commit_callbacks,
):
    order = paid_order(ProductFactory(stock=2))

    with django_capture_on_commit_callbacks(execute=True):
        order_mark_ready(order=order)

    order.refresh_from_db()
    assert order.state == Order.State.READY
    assert order.ready_at is not None
    assert [message.to for message in mail.outbox] == [["acheteuse@example.org"]]


def test_a_broker_outage_does_not_undo_or_fail_marking_an_order_ready(
    broker_down, django_capture_on_commit_callbacks,
):
    order = paid_order(ProductFactory(stock=2))

    with django_capture_on_commit_callbacks(execute=True):
        order_mark_ready(order=order)

    order.refresh_from_db()
    assert order.state == Order.State.READY


def test_a_ready_pickup_order_is_handed_over_without_tracking_number():
    order = paid_order(ProductFactory())
    order_mark_ready(order=order)

    order_mark_fulfilled(order=order)

    order.refresh_from_db()
    assert (order.state, order.tracking_number) == (Order.State.FULFILLED, "")
    assert order.fulfilled_at is not None


def test_a_shipped_order_needs_its_tracking_number(shipping_vendor):
    order = paid_order(ProductFactory(vendor=shipping_vendor), shipping_vendors=[shipping_vendor])

    with pytest.raises(TrackingNumberRequired):
        order_mark_fulfilled(order=order, tracking_number="  ")
    order_mark_fulfilled(order=order, tracking_number=" 6A12345678901 ")

    order.refresh_from_db()
    assert (order.state, order.tracking_number) == (Order.State.FULFILLED, "6A12345678901")


@pytest.mark.parametrize("action", ["ready", "fulfilled"])
def test_a_handed_over_order_cannot_move_again(action):
    order = paid_order(ProductFactory())
    order_mark_fulfilled(order=order)

    with pytest.raises(InvalidTransition) as error:
        if action == "ready":
            order_mark_ready(order=order)
        else:
            order_mark_fulfilled(order=order)

    assert order.number in str(error.value)
    order.refresh_from_db()
    assert order.state == Order.State.FULFILLED


def test_a_ready_order_cannot_be_marked_ready_twice():
    order = paid_order(ProductFactory())
    order_mark_ready(order=order)

    with pytest.raises(InvalidTransition):
        order_mark_ready(order=order)


def test_invalid_transition_is_a_value_error_with_a_readable_message():
    order = paid_order(ProductFactory())
    order_mark_fulfilled(order=order)

    with translation.override("en"), pytest.raises(ValueError) as error:
        order_mark_ready(order=order)

    assert str(error.value) == (
        f"Order {order.number} is « Handed over »: it cannot become « Ready »."
    )


def test_a_refunded_order_cannot_be_prepared():
    order = paid_order(ProductFactory(stock=2), quantity=2)
    order_lines_cancel(order=order, quantities={order.lines.get().pk: 2})

    with pytest.raises(InvalidTransition):
        order_mark_ready(order=order)
    with pytest.raises(InvalidTransition):
        order_mark_fulfilled(order=order)


def test_a_partially_refunded_order_can_still_be_prepared_and_handed_over():
    order = paid_order(ProductFactory(stock=2), quantity=2)
    order_lines_cancel(order=order, quantities={order.lines.get().pk: 1})

    order_mark_ready(order=order)
    order_mark_fulfilled(order=order)

    order.refresh_from_db()
    assert order.state == Order.State.FULFILLED


# Cancelling units


def test_the_preview_gives_the_price_of_the_cancelled_units(project):
    _, order, mug, lamp = two_line_order(project)

    assert order_refund_preview(order=order, quantities={mug.pk: 1}) == 1001
    assert order_refund_preview(order=order, quantities={mug.pk: 2, lamp.pk: 1}) == 2002 + 2499


def test_the_preview_changes_nothing(project):
    checkout, order, mug, _ = two_line_order(project)
    before = ledger_total(checkout)

    order_refund_preview(order=order, quantities={mug.pk: 1})

    assert ledger_total(checkout) == before
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUND).count() == 0
    mug.refresh_from_db()
    assert mug.cancelled_quantity == 0


def test_shipping_is_refunded_with_the_last_unit_only(project, shipping_vendor):
    _, order, mug, lamp = two_line_order(project, vendor=shipping_vendor, shipping=True)
    assert order.shipping_cents == 690

    assert order_refund_preview(order=order, quantities={mug.pk: 3}) == 3003
    assert order_refund_preview(order=order, quantities={mug.pk: 3, lamp.pk: 1}) == (
        3003 + 2499 + 690
    )


def test_cancelling_units_restocks_and_keeps_the_ledger_equal_to_the_charge(project):
    checkout, order, mug, lamp = two_line_order(project)
    charged = checkout.total_cents
    assert ledger_total(checkout) == charged

    refunded = order_lines_cancel(order=order, quantities={mug.pk: 1})

    assert refunded == 1001
    assert ledger_total(checkout) == charged
    assert booked(order, LedgerEntry.Kind.REFUND) == 1001
    order.refresh_from_db()
    mug.refresh_from_db()
    assert order.state == Order.State.PARTIALLY_REFUNDED
    assert order.refunded_cents == 1001
    assert mug.cancelled_quantity == 1
    assert Product.objects.get(pk=mug.product_id).stock == 5 - 3 + 1
    assert Product.objects.get(pk=lamp.product_id).stock == 0


def test_the_order_amounts_are_recomputed_on_the_units_kept(project):
    checkout, order, mug, _ = two_line_order(project)

    order_lines_cancel(order=order, quantities={mug.pk: 2})

    order.refresh_from_db()
    mug.refresh_from_db()
    # Kept: 1 × 10,01 € (15 % → 1,50 €) + 24,99 €; commission 5 % of 35,00 € = 1,75 €.
    assert order.gross_cents == 1001 + 2499
    assert order.solidarity_cents == 150
    assert mug.solidarity_cents == 150
    assert order.commission_cents == 175
    assert order.vendor_net_cents == 3500 - 175 - 150
    assert booked(order, LedgerEntry.Kind.VENDOR_NET) == order.vendor_net_cents
    assert booked(order, LedgerEntry.Kind.COMMISSION) == order.commission_cents
    assert booked(order, LedgerEntry.Kind.SOLIDARITY, project) == 150
    assert ledger_total(checkout) == checkout.total_cents


def test_cancelling_everything_refunds_the_order_in_full_donation_kept(project, shipping_vendor):
    checkout, order, mug, lamp = two_line_order(project, vendor=shipping_vendor, shipping=True)
    gross = order.gross_cents

    order_lines_cancel(order=order, quantities={mug.pk: 1})
    order_lines_cancel(order=order, quantities={mug.pk: 2, lamp.pk: 1})

    order.refresh_from_db()
    assert order.state == Order.State.REFUNDED
    assert order.refunded_cents == gross
    assert (order.gross_cents, order.shipping_cents, order.vendor_net_cents) == (0, 0, 0)
    assert booked(order, LedgerEntry.Kind.REFUND) == gross
    for kind in (LedgerEntry.Kind.VENDOR_NET, LedgerEntry.Kind.COMMISSION,
                 LedgerEntry.Kind.SOLIDARITY):
        assert booked(order, kind) == 0
    assert booked(None, LedgerEntry.Kind.DONATION) == 200
    assert ledger_total(checkout) == checkout.total_cents


def test_cancelling_one_vendors_units_leaves_the_other_vendors_order_alone(project):
    market = MarketPageFactory()
    first = ProductFactory(price_cents=1999, stock=2)
    second = ProductFactory(price_cents=777, stock=3, solidarity_bps=1000,
                            solidarity_project=project)
    checkout = paid_checkout([(first, 2), (second, 3)], market=market)
    order_first, order_second = checkout.orders.order_by("pk")
    untouched = list(LedgerEntry.objects.filter(order=order_second).values_list(
        "kind", "amount_cents"))

    order_lines_cancel(order=order_first, quantities={order_first.lines.get().pk: 1})

    assert list(LedgerEntry.objects.filter(order=order_second).values_list(
        "kind", "amount_cents")) == untouched
    assert ledger_total(checkout) == checkout.total_cents


@pytest.mark.parametrize("quantities", [{}, {"line": 0}, {"line": 4}, {"line": -1}, {999999: 1}])
def test_bad_quantities_are_refused_and_change_nothing(project, quantities):
    checkout, order, mug, _ = two_line_order(project)
    quantities = {(mug.pk if key == "line" else key): value for key, value in quantities.items()}

    with pytest.raises(InvalidQuantities):
        order_lines_cancel(order=order, quantities=quantities)

    mug.refresh_from_db()
    assert mug.cancelled_quantity == 0
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUND).exists()


def test_units_already_cancelled_cannot_be_cancelled_again(project):
    _, order, mug, _ = two_line_order(project)
    order_lines_cancel(order=order, quantities={mug.pk: 2})

    with pytest.raises(InvalidQuantities):
        order_lines_cancel(order=order, quantities={mug.pk: 2})


def test_the_shopper_is_told_of_the_refund_after_commit(
    project, django_capture_on_commit_callbacks
):
    _, order, mug, _ = two_line_order(project)

    with django_capture_on_commit_callbacks(execute=True):
        order_lines_cancel(order=order, quantities={mug.pk: 1})

    assert len(mail.outbox) == 1
    assert "10,01" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["acheteuse@example.org"]

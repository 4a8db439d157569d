"""Vendors cancel units of their orders from the back office; the shopper is refunded."""

import pytest
from django.contrib.messages import get_messages

from payments.models import Payment, Refund
from payments.services import payment_start, payment_succeeded
from shop.models import LedgerEntry, Order, Product
from tests.factories import (
    MarketPageFactory,
    ParticipationFactory,
    UserFactory,
    reserved_checkout,
)
from vendors.services import vendor_member_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(vendor_a, vendor_b):
    market = MarketPageFactory(commission_bps=500)
    for side in (vendor_a, vendor_b):
        side.product.price_cents, side.product.stock = 1000, 5
        side.product.save()
        ParticipationFactory(market=market, vendor=side.vendor)
    checkout = reserved_checkout(
        market, [(vendor_a.product, 3), (vendor_b.product, 1)], session_key="cancel",
    )
    assert checkout.lines.count() == 2
    payment_succeeded(payment=payment_start(checkout=checkout))
    return Order.objects.get(checkout=checkout, vendor=vendor_a.vendor)


def url(order) -> str:
    return f"/paiement/commandes/{order.pk}/annuler/"


def ledger_total(checkout) -> int:
    return sum(LedgerEntry.objects.filter(checkout=checkout)
               .values_list("amount_cents", flat=True))


def test_cancelling_units_refunds_them_and_books_the_cancellation(client, vendor_a, paid_order):
    client.force_login(vendor_a.user)
    line = paid_order.lines.get()

    response = client.post(url(paid_order), {f"line_{line.pk}": "1"})

    assert response.status_code == 302
    refund = Refund.objects.get()
    assert (refund.order, refund.amount_cents, refund.reason, refund.state) == (
        paid_order, 1000, Refund.Reason.CANCELLED, Refund.State.SUCCEEDED)
    assert Payment.objects.get().state == Payment.State.PARTIALLY_REFUNDED
    order = Order.objects.get(pk=paid_order.pk)
    assert order.state == Order.State.PARTIALLY_REFUNDED
    assert order.refunded_cents == 1000
    assert Product.objects.get(pk=vendor_a.product.pk).stock == 3
    checkout = order.checkout
    assert ledger_total(checkout) == checkout.total_cents
    assert LedgerEntry.objects.get(order=order, kind=LedgerEntry.Kind.REFUND).amount_cents == 1000


def test_another_vendor_gets_404_and_nothing_moves(client, vendor_b, paid_order):
    client.force_login(vendor_b.user)
    line = paid_order.lines.get()

    response = client.post(url(paid_order), {f"line_{line.pk}": "1"})

    assert response.status_code == 404
    assert not Refund.objects.exists()


def test_a_user_without_vendor_gets_404(client, paid_order):
    client.force_login(UserFactory(username="curieux"))

    assert client.post(url(paid_order), {}).status_code == 404


def test_a_visitor_is_sent_to_the_login_page(client, paid_order):
    response = client.post(url(paid_order), {})

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_too_many_units_is_an_error_and_nothing_is_refunded(client, vendor_a, paid_order):
    client.force_login(vendor_a.user)
    line = paid_order.lines.get()

    response = client.post(url(paid_order), {f"line_{line.pk}": "9"})

    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert not Refund.objects.exists()
    assert Order.objects.get(pk=paid_order.pk).state == Order.State.PAID


def test_a_member_of_two_vendors_can_cancel_for_either(client, vendor_a, vendor_b, paid_order):
    vendor_member_add(vendor=vendor_a.vendor, user=vendor_b.user)
    client.force_login(vendor_b.user)
    line = paid_order.lines.get()

    response = client.post(url(paid_order), {f"line_{line.pk}": "3"})

    assert response.status_code == 302
    assert Refund.objects.get().amount_cents == 3000
    assert Order.objects.get(pk=paid_order.pk).state == Order.State.REFUNDED


def test_units_worth_more_than_what_is_left_to_refund_are_not_cancelled(paid_order):
    """Part of the payment went back from the Stripe dashboard: cancelling units worth
    more than what is left on it is refused with a reason, and nothing moves."""
    from payments.refund_sync import RemoteRefund, payment_refunds_sync
    from payments.refunds import order_lines_cancel_and_refund
    from shop.orders.services import OrderActionError

    payment = Payment.objects.get(checkout=paid_order.checkout)
    payment_refunds_sync(payment=payment, remote=[
        RemoteRefund(id="re_dashboard", amount_cents=payment.amount_cents - 500,
                     state="succeeded")])
    paid_order.refresh_from_db()
    line = paid_order.lines.get()
    cancelled_before = line.cancelled_quantity
    ledger_before = ledger_total(paid_order.checkout)
    refunds_before = Refund.objects.count()

    with pytest.raises(OrderActionError, match="5,00"):
        order_lines_cancel_and_refund(order=paid_order, quantities={line.pk: 1})

    line.refresh_from_db()
    assert line.cancelled_quantity == cancelled_before
    assert Refund.objects.count() == refunds_before
    assert ledger_total(paid_order.checkout) == ledger_before

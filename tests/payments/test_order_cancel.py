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


def test_a_delivered_order_can_still_be_refunded(client, vendor_a, paid_order):
    """A parcel came back (withdrawal within 14 days, or a goodwill return): the vendor
    refunds the units of an order already handed over, and the money still adds up."""
    from shop.orders.services import order_mark_fulfilled

    order_mark_fulfilled(order=paid_order)
    client.force_login(vendor_a.user)
    line = paid_order.lines.get()

    response = client.post(url(paid_order), {f"line_{line.pk}": "1"})

    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    order = Order.objects.get(pk=paid_order.pk)
    assert order.refunded_cents == 1000
    assert order.state == Order.State.PARTIALLY_REFUNDED
    assert Refund.objects.get().amount_cents == 1000
    assert ledger_total(order.checkout) == order.checkout.total_cents


def test_the_cancel_button_first_shows_what_will_happen_and_changes_nothing(
    client, vendor_a, paid_order, django_assert_max_num_queries
):
    client.force_login(vendor_a.user)
    line = paid_order.lines.get()

    # Session, user, vendor scope, order, lines, the preview's re-read and the admin's
    # menu and sidebar.
    with django_assert_max_num_queries(30):
        response = client.get(url(paid_order), {f"line_{line.pk}": "2"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "20,00\u00a0€" in html  # refunded to the shopper
    assert "1,00\u00a0€" in html  # the market's 5 % commission taken back
    assert f'name="line_{line.pk}" value="2"' in html
    assert 'method="post"' in html
    assert not Refund.objects.exists()
    assert Order.objects.get(pk=paid_order.pk).state == Order.State.PAID


def test_the_confirmation_of_a_bad_quantity_is_a_message_and_nothing_moves(
    client, vendor_a, paid_order
):
    client.force_login(vendor_a.user)
    line = paid_order.lines.get()

    response = client.get(url(paid_order), {f"line_{line.pk}": "abc"}, follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Refund.objects.exists()


def test_another_vendor_cannot_see_the_confirmation(client, vendor_b, paid_order):
    client.force_login(vendor_b.user)
    line = paid_order.lines.get()

    assert client.get(url(paid_order), {f"line_{line.pk}": "1"}).status_code == 404


def _handed_over(order, *, days_ago: int, professional: bool):
    from datetime import timedelta

    from django.utils import timezone

    from shop.orders.services import order_mark_fulfilled

    order.vendor.is_professional = professional
    order.vendor.save(update_fields=["is_professional"])
    order_mark_fulfilled(order=order, now=timezone.now() - timedelta(days=days_ago))


def test_a_professional_seller_is_told_the_14_day_withdrawal_rule(client, vendor_a, paid_order):
    _handed_over(paid_order, days_ago=3, professional=True)
    client.force_login(vendor_a.user)
    line = paid_order.lines.get()

    html = client.get(url(paid_order), {f"line_{line.pk}": "1"}).content.decode()

    assert "L221-18" in html
    assert "rétractation" in html


def test_after_14_days_the_refund_is_still_possible_with_a_warning(client, vendor_a, paid_order):
    _handed_over(paid_order, days_ago=20, professional=True)
    client.force_login(vendor_a.user)
    line = paid_order.lines.get()

    page = client.get(url(paid_order), {f"line_{line.pk}": "1"}).content.decode()
    response = client.post(url(paid_order), {f"line_{line.pk}": "1"})

    assert "délai de rétractation de 14 jours a pris fin" in page
    assert response.status_code == 302
    order = Order.objects.get(pk=paid_order.pk)
    assert order.refunded_cents == 1000
    assert ledger_total(order.checkout) == order.checkout.total_cents


def test_a_non_professional_seller_is_told_the_return_is_its_choice(client, vendor_a, paid_order):
    _handed_over(paid_order, days_ago=3, professional=False)
    client.force_login(vendor_a.user)
    line = paid_order.lines.get()

    html = client.get(url(paid_order), {f"line_{line.pk}": "1"}).content.decode()

    assert "ne s’applique pas" in html or "ne s'applique pas" in html
    assert "L221-18" not in html


def test_a_refunded_handed_over_order_is_never_handed_over_again(vendor_a, paid_order):
    from shop.orders.services import order_can_become

    _handed_over(paid_order, days_ago=1, professional=True)
    from payments.refunds import order_lines_cancel_and_refund

    order_lines_cancel_and_refund(order=paid_order, quantities={paid_order.lines.get().pk: 1})

    order = Order.objects.get(pk=paid_order.pk)
    assert order.state == Order.State.PARTIALLY_REFUNDED
    assert not order_can_become(order, Order.State.FULFILLED)
    assert not order_can_become(order, Order.State.READY)
    assert order_can_become(order, Order.State.REFUNDED)

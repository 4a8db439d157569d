"""Whatever order the events of a checkout arrive in (reviews again, payments for an
earlier basket, duplicate verdicts, refunds made at the provider, units cancelled by a
vendor, prices, fees and each vendor's commission rate changed meanwhile), for every
checkout: charged − refunded = the ledger, to the cent. A Hypothesis state machine over
the real services (demo gateway)."""

import contextlib

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from markets.models import MarketParticipation
from payments.ledger import checkout_balance
from payments.models import Payment
from payments.refund_sync import RemoteRefund, payment_refunds_sync
from payments.refunds import order_lines_cancel_and_refund
from payments.services import PaymentError, payment_start, payment_succeeded
from shop.checkout.cart import cart_add
from shop.checkout.services import checkout_reserve
from shop.models import Checkout, Order
from shop.orders.services import OrderActionError
from tests.factories import MarketPageFactory, product_in_market, reserved_checkout

pytestmark = pytest.mark.django_db


class CheckoutEvents(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.market = MarketPageFactory(commission_bps=700, shipping_allowed=True)
        self.products = [
            product_in_market(self.market, price_cents=price, stock=stock,
                              solidarity_bps=bps)
            for price, stock, bps in ((1250, 3, 0), (999, 1, 1000), (4300, 2, 2500))
        ]
        self.checkout = reserved_checkout(self.market, [(self.products[0], 1)],
                                          session_key="machine")
        self.payments: list[Payment] = []
        self.external = 0

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _fresh(self) -> Checkout:
        return Checkout.objects.get(pk=self.checkout.pk)

    @precondition(lambda self: self._fresh().state != Checkout.State.PAID)
    @rule(index=st.integers(0, 2))
    def add_and_review_again(self, index):
        checkout = self._fresh()
        cart_add(cart=checkout.cart, market=self.market, product=self.products[index])
        checkout_reserve(checkout=checkout)

    @rule(fee=st.integers(0, 900), commission=st.integers(0, 3000),
          own_rates=st.lists(st.one_of(st.none(), st.integers(0, 5000)), min_size=3,
                             max_size=3))
    def organiser_and_vendor_change_rates(self, fee, commission, own_rates):
        for product, own_rate in zip(self.products, own_rates, strict=True):
            product.vendor.shipping_fee_cents = fee
            product.vendor.save(update_fields=["shipping_fee_cents"])
            MarketParticipation.objects.filter(market=self.market, vendor=product.vendor) \
                .update(commission_bps=own_rate)
        self.market.commission_bps = commission
        self.market.save()

    @rule()
    def start_payment(self):
        with contextlib.suppress(PaymentError):
            self.payments.append(payment_start(checkout=self._fresh()))

    @precondition(lambda self: self.payments)
    @rule(data=st.data())
    def a_payment_succeeds(self, data):
        payment = data.draw(st.sampled_from(self.payments))
        payment_succeeded(payment=payment)

    @precondition(lambda self: self._fresh().state == Checkout.State.PAID)
    @rule(data=st.data())
    def vendor_cancels_a_unit(self, data):
        orders = list(Order.objects.filter(checkout=self.checkout).prefetch_related("lines"))
        order = data.draw(st.sampled_from(orders))
        lines = [line for line in order.lines.all() if line.quantity > line.cancelled_quantity]
        if not lines:
            return
        line = data.draw(st.sampled_from(lines))
        with contextlib.suppress(OrderActionError):
            order_lines_cancel_and_refund(order=order, quantities={line.pk: 1})

    @precondition(lambda self: self._fresh().state == Checkout.State.PAID)
    @rule(share=st.sampled_from([1, 2, 1000]))
    def provider_refunds_outside_the_platform(self, share):
        checkout = self._fresh()
        payment = Payment.objects.get(checkout=checkout,
                                      external_id=checkout.payment_reference)
        left = payment.amount_cents - sum(payment.refunds.values_list("amount_cents",
                                                                      flat=True))
        amount = left if share == 1000 else left // (share + 1)
        if amount < 1:
            return
        self.external += 1
        payment_refunds_sync(payment=payment, remote=[
            RemoteRefund(id=f"re_outside_{self.external}", amount_cents=amount,
                         state="succeeded")])

    @invariant()
    def charged_less_refunded_is_the_ledger(self):
        balance = checkout_balance(checkout=self._fresh())
        assert balance.balanced, balance

    @invariant()
    def a_payment_is_never_refunded_more_than_charged(self):
        for payment in Payment.objects.filter(checkout=self.checkout):
            refunded = sum(payment.refunds.values_list("amount_cents", flat=True))
            assert refunded <= payment.amount_cents

    @invariant()
    def the_paid_checkout_was_charged_its_frozen_total(self):
        checkout = self._fresh()
        if checkout.state == Checkout.State.PAID:
            paying = Payment.objects.get(checkout=checkout,
                                         external_id=checkout.payment_reference)
            assert paying.amount_cents == checkout.total_cents


CheckoutEvents.TestCase.settings = settings(
    max_examples=15, stateful_step_count=10, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TestCheckoutEvents = CheckoutEvents.TestCase

"""Payments around a market's closing, on the clock in Paris time: a payment started
before closing may still be made during the grace period (`MARKET_CLOSING_GRACE_MINUTES`);
after it, or when started after closing, it is refused before the card is charged, or
refunded in full when the card was charged anyway. Through the payment pages (demo
gateway) and, for a card confirmed at Stripe, localstripe and the signed webhook."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from payments.ledger import checkout_balance
from payments.models import Payment, Refund
from payments.tasks import recover_payments
from shop.models import Checkout, Order, Product
from tests.factories import MarketPageFactory, product_in_market, reserved_checkout
from tests.payments.conftest import card
from tests.payments.stripe.conftest import localstripe_url, stripe_api, stripe_settings
from tests.payments.stripe.test_stripe import deliver, event_payload, shopper_pays
from tests.shop.test_views_basket import messages_of

pytestmark = pytest.mark.django_db

__all__ = ["localstripe_url", "stripe_api", "stripe_settings"]  # fixtures used below

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
CLOSES = datetime(2027, 12, 24, 19, 0, tzinfo=PARIS)
GRACE = 30


class Basket:
    """A market closing on Christmas Eve at 19:00, and a shopper whose basket holds a
    bowl and a lamp of two vendors, reserved ten minutes before closing."""

    def __init__(self, client: Client, *, closes: datetime = CLOSES):
        self.market = MarketPageFactory(opens_at=closes - timedelta(days=27), closes_at=closes,
                                        commission_bps=500)
        self.bowl = product_in_market(self.market, title="Bol en grès", price_cents=1850,
                                      stock=3, solidarity_bps=1000)
        self.lamp = product_in_market(self.market, title="Lampe restaurée", price_cents=4500,
                                      stock=1)
        self.client = client
        self.checkout = reserved_checkout(self.market, [(self.bowl, 2), (self.lamp, 1)],
                                          session_key=client.session.session_key)
        assert self.checkout.total_cents == 8200

    @property
    def pay_url(self) -> str:
        return f"/paiement/{self.checkout.reference}/"

    def open_payment_page(self) -> Payment | None:
        self.client.get(self.pay_url)
        return Payment.objects.filter(checkout=self.checkout).order_by("-pk").first()

    def precheck(self) -> dict:
        return self.client.post(f"{self.pay_url}verifier/").json()

    def balance(self):
        return checkout_balance(checkout=Checkout.objects.get(pk=self.checkout.pk))

    def stock(self) -> tuple[int, int]:
        return tuple(Product.objects.get(pk=p.pk).stock for p in (self.bowl, self.lamp))


@pytest.fixture
def clock(settings):
    settings.MARKET_CLOSING_GRACE_MINUTES = GRACE
    with time_machine.travel(CLOSES - timedelta(minutes=10), tick=False) as traveller:
        yield traveller


@pytest.fixture
def basket(client, clock) -> Basket:
    return Basket(client)


def assert_nothing_charged(basket: Basket) -> None:
    assert not Payment.objects.filter(checkout=basket.checkout,
                                      state__in=Payment.CHARGED).exists()
    assert not Order.objects.filter(checkout=basket.checkout).exists()
    assert basket.stock() == (3, 1)
    assert not basket.checkout.reservations.exists()


def test_a_payment_started_before_closing_and_made_within_the_grace_is_honoured(
    basket, clock
):
    # Given the shopper on the payment page five minutes before closing
    clock.move_to(CLOSES - timedelta(minutes=5))
    assert basket.open_payment_page() is not None

    # When the card is confirmed twenty minutes after closing (the reservation has expired)
    clock.move_to(CLOSES + timedelta(minutes=20))
    basket.client.post(basket.pay_url, card())

    # Then both vendor orders are paid and the ledger books every cent charged
    orders = Order.objects.filter(checkout=basket.checkout)
    assert {order.state for order in orders} == {Order.State.PAID}
    assert all(order.paid_at == CLOSES + timedelta(minutes=20) for order in orders)
    balance = basket.balance()
    assert (balance.charged_cents, balance.refunded_cents, balance.ledger_cents) == (
        8200, 0, 8200)
    assert basket.stock() == (1, 0)


def test_a_payment_made_after_the_grace_is_refused_before_the_card_is_charged(basket, clock):
    clock.move_to(CLOSES - timedelta(minutes=5))
    basket.open_payment_page()

    clock.move_to(CLOSES + timedelta(minutes=GRACE))
    response = basket.client.post(basket.pay_url, card(), follow=True)

    assert messages_of(response) == ["Ce marché est fermé : rien n'a été débité."]
    assert_nothing_charged(basket)


def test_a_payment_started_after_closing_is_refused_before_the_card_is_charged(basket, clock):
    # Given a basket reserved before closing, whose payment page is first opened after it
    clock.move_to(CLOSES + timedelta(minutes=1))

    response = basket.client.get(basket.pay_url, follow=True)

    # Then no payment is even opened, within the grace period or not
    assert messages_of(response) == ["Ce marché est fermé : rien n'a été débité."]
    assert not Payment.objects.filter(checkout=basket.checkout).exists()
    assert_nothing_charged(basket)


@pytest.mark.parametrize(("minutes_after", "honoured"), [(25, True), (35, False)])
def test_the_grace_period_counts_real_minutes_across_the_october_time_change(
    client, clock, minutes_after, honoured
):
    # Given a market closing at 02:45 summer time the night clocks go back to 02:00
    closes = datetime(2027, 10, 31, 2, 45, tzinfo=PARIS)
    assert closes.utcoffset() == timedelta(hours=2)
    clock.move_to(closes - timedelta(minutes=10))
    basket = Basket(client, closes=closes)
    clock.move_to(closes - timedelta(minutes=5))
    basket.open_payment_page()

    # When the card is confirmed at 02:10 or 02:20 winter time: before 02:45 on the wall
    # clock, but 25 or 35 minutes after the closing
    paid_at = closes.astimezone(UTC) + timedelta(minutes=minutes_after)
    assert paid_at.astimezone(PARIS).strftime("%H:%M %Z") == (
        "02:10 CET" if honoured else "02:20 CET")
    clock.move_to(paid_at)
    basket.client.post(basket.pay_url, card())

    # Then it counts as within the 30 minutes of grace, or not
    paid = Order.objects.filter(checkout=basket.checkout, state=Order.State.PAID).count()
    assert paid == (2 if honoured else 0)
    assert basket.balance().balanced


# A card confirmed at Stripe: the payment page asks us just before, but the shopper may
# take long (3-D Secure) and the webhook then brings a charge the precheck did not see.


@pytest.fixture
def stripe_basket(client, clock, stripe_settings) -> Basket:
    return Basket(client)


@pytest.fixture
def webhook(client, django_capture_on_commit_callbacks):
    def _deliver(intent):
        return deliver(client, event_payload("payment_intent.succeeded", intent),
                       callbacks=django_capture_on_commit_callbacks)

    return _deliver


def test_a_card_confirmed_at_stripe_within_the_grace_is_honoured(
    stripe_basket, stripe_api, clock, webhook
):
    clock.move_to(CLOSES - timedelta(minutes=5))
    payment = stripe_basket.open_payment_page()

    clock.move_to(CLOSES + timedelta(minutes=GRACE - 1))
    assert stripe_basket.precheck() == {"ok": True}
    intent = shopper_pays(stripe_api, payment)
    assert webhook(intent).status_code == 200

    assert Order.objects.filter(checkout=stripe_basket.checkout,
                                state=Order.State.PAID).count() == 2
    balance = stripe_basket.balance()
    assert (balance.charged_cents, balance.ledger_cents) == (8200, 8200)


def test_a_card_confirmed_at_stripe_after_the_grace_is_refunded_in_full(
    stripe_basket, stripe_api, clock, webhook
):
    # Given a payment opened before closing, checked a minute before the grace ends
    clock.move_to(CLOSES - timedelta(minutes=5))
    payment = stripe_basket.open_payment_page()
    clock.move_to(CLOSES + timedelta(minutes=GRACE - 1))
    assert stripe_basket.precheck() == {"ok": True}

    # When the card is only confirmed at Stripe two minutes later
    clock.move_to(CLOSES + timedelta(minutes=GRACE + 1))
    intent = shopper_pays(stripe_api, payment)
    assert intent.status == "succeeded"
    assert webhook(intent).status_code == 200

    # Then no order is made and the whole charge goes back at Stripe: nothing is lost
    assert not Order.objects.filter(checkout=stripe_basket.checkout).exists()
    refund = Refund.objects.get(payment=payment)
    assert (refund.amount_cents, refund.reason, refund.state) == (
        8200, Refund.Reason.CLOSED, Refund.State.SUCCEEDED)
    assert stripe_api.v1.refunds.retrieve(refund.external_id).amount == 8200
    payment.refresh_from_db()
    assert payment.state == Payment.State.REFUNDED
    assert "clos depuis plus de 30 minutes" in payment.failure_message
    balance = stripe_basket.balance()
    assert (balance.charged_cents, balance.refunded_cents, balance.ledger_cents) == (
        8200, 8200, 0)
    assert stripe_basket.stock() == (3, 1)


def test_a_charge_whose_webhook_never_came_is_settled_by_the_beat_within_the_grace(
    stripe_basket, stripe_api, clock, django_capture_on_commit_callbacks
):
    # Given a card confirmed at Stripe ten minutes after closing, whose webhook is lost
    clock.move_to(CLOSES - timedelta(minutes=5))
    payment = stripe_basket.open_payment_page()
    clock.move_to(CLOSES + timedelta(minutes=10))
    assert shopper_pays(stripe_api, payment).status == "succeeded"

    # When the recovery task runs as the beat does, every two minutes
    clock.move_to(CLOSES + timedelta(minutes=12))
    with django_capture_on_commit_callbacks(execute=True):
        recover_payments.delay()

    # Then the payment is honoured as if the webhook had come
    assert Order.objects.filter(checkout=stripe_basket.checkout,
                                state=Order.State.PAID).count() == 2
    assert not Refund.objects.filter(payment=payment).exists()
    assert stripe_basket.balance().balanced

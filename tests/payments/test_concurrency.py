"""A double click, a retried request and a duplicate webhook arrive together: one payment,
one set of orders. Real concurrent transactions on PostgreSQL."""


import pytest
from django.test import Client

from payments.models import Payment, Refund
from payments.services import payment_start, payment_succeeded
from shop.models import LedgerEntry, Order, Product
from tests.factories import MarketPageFactory, product_in_market, reserved_checkout
from tests.helpers import run_together

from .conftest import card

pytestmark = [pytest.mark.postgres,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_five_simultaneous_successes_of_one_payment_complete_the_checkout_once():
    market = MarketPageFactory()
    bowl = product_in_market(market, price_cents=1850, stock=2)
    lamp = product_in_market(market, price_cents=4500, stock=1)
    checkout = reserved_checkout(market, [(bowl, 2), (lamp, 1)], session_key="race")
    payment = payment_start(checkout=checkout)

    results, errors = run_together([lambda: payment_succeeded(payment=payment)] * 5)

    assert errors == []
    assert sum(not result.already_completed for result in results) == 1
    assert Payment.objects.filter(checkout=checkout).count() == 1
    assert Order.objects.filter(checkout=checkout).count() == 2
    assert not Refund.objects.exists()
    assert Product.objects.get(pk=bowl.pk).stock == 0
    assert Product.objects.get(pk=lamp.pk).stock == 0
    checkout.refresh_from_db()
    assert sum(LedgerEntry.objects.filter(checkout=checkout)
               .values_list("amount_cents", flat=True)) == checkout.total_cents


def test_simultaneous_starts_create_one_payment():
    market = MarketPageFactory()
    product = product_in_market(market, stock=1)
    checkout = reserved_checkout(market, [(product, 1)], session_key="start-race")

    results, errors = run_together([lambda: payment_start(checkout=checkout)] * 5)

    assert errors == []
    assert len({payment.pk for payment in results}) == 1
    assert Payment.objects.filter(checkout=checkout).count() == 1


def test_ten_clicks_on_pay_charge_once(client):
    # Ten posts of the card form at once, from the same browser session.
    market = MarketPageFactory()
    item = product_in_market(market, price_cents=1500, stock=1)
    checkout = reserved_checkout(market, [(item, 1)], session_key=client.session.session_key)
    url = f"/paiement/{checkout.reference}/"
    client.get(url)
    cookies = client.cookies

    def click():
        browser = Client()
        browser.cookies = cookies
        return browser.post(url, card()).status_code

    results, errors = run_together([click] * 10)

    assert not errors
    assert set(results) == {302}
    assert Payment.objects.filter(checkout=checkout).count() == 1
    assert not Refund.objects.exists()
    assert Order.objects.filter(checkout=checkout).count() == 1

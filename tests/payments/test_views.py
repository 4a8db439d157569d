"""The payment step over HTTP, with the demo gateway."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from payments.models import Payment, Refund
from payments.services import payment_succeeded
from shop.models import Checkout, LedgerEntry, Order, Product, Reservation
from tests.factories import MarketPageFactory, product_in_market, reserved_checkout

from .conftest import DECLINED, card

pytestmark = pytest.mark.django_db


def ledger_total(checkout) -> int:
    return sum(LedgerEntry.objects.filter(checkout=checkout)
               .values_list("amount_cents", flat=True))


def expire(checkout) -> None:
    Reservation.objects.filter(checkout=checkout).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )


def test_the_payment_page_shows_the_amount_the_reservation_and_the_demo_banner(shop):
    response = shop.client.get(shop.pay_url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Démonstration : aucun paiement réel" in html
    assert "82,00" in html  # 2 × 18,50 + 45,00
    expires_at = timezone.localtime(Reservation.objects.filter(checkout=shop.checkout)
                                    .earliest("expires_at").expires_at)
    assert f"Vos articles sont réservés jusqu'à {expires_at:%-H} h {expires_at:%M}" in html
    assert 'autocomplete="cc-number"' in html
    assert 'autocomplete="cc-exp"' in html
    assert 'autocomplete="cc-csc"' in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in main


def test_paying_with_the_accepted_card_pays_one_order_per_vendor(shop):
    shop.client.get(shop.pay_url)

    response = shop.client.post(shop.pay_url, card())

    assert response.status_code == 302
    assert response["Location"] == shop.return_url
    checkout = Checkout.objects.get(pk=shop.checkout.pk)
    assert checkout.state == Checkout.State.PAID
    assert checkout.gateway == "demo"
    payment = Payment.objects.get(checkout=checkout)
    assert payment.state == Payment.State.SUCCEEDED
    assert checkout.payment_reference == payment.external_id
    assert payment.amount_cents == checkout.total_cents == 8200
    orders = Order.objects.filter(checkout=checkout)
    assert sorted(o.vendor_id for o in orders) == sorted([shop.bowl.vendor_id,
                                                          shop.lamp.vendor_id])
    assert {o.state for o in orders} == {Order.State.PAID}
    assert Product.objects.get(pk=shop.bowl.pk).stock == 1
    assert Product.objects.get(pk=shop.lamp.pk).stock == 0
    assert ledger_total(checkout) == checkout.total_cents
    page = shop.client.get(shop.return_url).content.decode()
    assert "Merci pour votre commande" in page
    assert checkout.reference in page


def test_a_double_click_makes_one_payment_and_one_set_of_orders(shop):
    shop.client.get(shop.pay_url)

    first = shop.client.post(shop.pay_url, card())
    second = shop.client.post(shop.pay_url, card())

    assert first.status_code == second.status_code == 302
    assert second["Location"] == shop.return_url
    assert Payment.objects.filter(checkout=shop.checkout).count() == 1
    assert Order.objects.filter(checkout=shop.checkout).count() == 2
    assert Product.objects.get(pk=shop.bowl.pk).stock == 1
    checkout = Checkout.objects.get(pk=shop.checkout.pk)
    assert ledger_total(checkout) == checkout.total_cents


def test_a_declined_card_pays_nothing_and_frees_the_items(shop):
    shop.client.get(shop.pay_url)

    response = shop.client.post(shop.pay_url, card(DECLINED), follow=True)

    # Post/redirect/get: reloading the page does not post the card again.
    assert response.redirect_chain == [(shop.return_url, 302)]
    html = response.content.decode()
    assert "Carte refusée (démo)" in html
    assert "Retour au panier" in html
    checkout = Checkout.objects.get(pk=shop.checkout.pk)
    assert checkout.state == Checkout.State.OPEN
    assert not Reservation.objects.filter(checkout=checkout).exists()
    assert not Order.objects.filter(checkout=checkout).exists()
    assert not LedgerEntry.objects.filter(checkout=checkout).exists()
    payment = Payment.objects.get(checkout=checkout)
    assert payment.state == Payment.State.FAILED
    assert payment.failure_message == "Carte refusée (démo)"
    assert Product.objects.get(pk=shop.lamp.pk).stock == 1


def test_a_card_number_other_than_the_demo_cards_is_refused_by_the_form(shop):
    shop.client.get(shop.pay_url)

    response = shop.client.post(shop.pay_url, card("5555 5555 5555 4444"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "4242 4242 4242 4242" in html
    assert 'aria-invalid="true"' in html
    checkout = Checkout.objects.get(pk=shop.checkout.pk)
    assert checkout.state == Checkout.State.RESERVED
    assert Reservation.objects.filter(checkout=checkout).count() == 2
    assert not Order.objects.filter(checkout=checkout).exists()
    assert Payment.objects.get(checkout=checkout).state == Payment.State.CREATED


@pytest.mark.parametrize("fields", [
    {"expiry": "13/30"}, {"expiry": "01/20"}, {"expiry": ""}, {"security_code": "12a"},
])
def test_a_bad_expiry_or_security_code_is_a_form_error(shop, fields):
    shop.client.get(shop.pay_url)

    response = shop.client.post(shop.pay_url, {**card(), **fields})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert Checkout.objects.get(pk=shop.checkout.pk).state == Checkout.State.RESERVED


def test_another_browser_session_cannot_open_the_payment_step(shop):
    shop.client.get(shop.pay_url)
    stranger = Client()

    assert stranger.get(shop.pay_url).status_code == 403
    assert stranger.post(shop.pay_url, card()).status_code == 403
    assert stranger.get(shop.return_url).status_code == 403
    assert Checkout.objects.get(pk=shop.checkout.pk).state == Checkout.State.RESERVED


def test_an_unknown_reference_is_not_found(client):
    assert client.get("/paiement/MS-NOPE2345/").status_code == 404


def test_posting_without_the_csrf_token_is_refused(shop):
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = shop.client.cookies

    response = strict.post(shop.pay_url, card())

    assert response.status_code == 403
    assert Checkout.objects.get(pk=shop.checkout.pk).state == Checkout.State.RESERVED


def test_a_checkout_no_longer_reserved_goes_back_with_a_message(shop):
    shop.client.get(shop.pay_url)
    Checkout.objects.filter(pk=shop.checkout.pk).update(state=Checkout.State.OPEN)

    response = shop.client.get(shop.pay_url, follow=True)

    assert response.redirect_chain[0][1] == 302
    assert "plus ouvert. Vérifiez votre panier" in response.content.decode()


def test_the_payment_page_of_a_paid_checkout_leads_to_the_thanks(shop):
    shop.client.get(shop.pay_url)
    shop.client.post(shop.pay_url, card())

    response = shop.client.get(shop.pay_url)

    assert response.status_code == 302
    assert response["Location"] == shop.return_url


def test_opening_the_page_after_the_reservation_expired_holds_the_items_again(shop):
    shop.client.get(shop.pay_url)
    expire(shop.checkout)

    response = shop.client.get(shop.pay_url)

    assert response.status_code == 200
    checkout = Checkout.objects.get(pk=shop.checkout.pk)
    assert checkout.state == Checkout.State.RESERVED
    assert Reservation.objects.filter(checkout=checkout, expires_at__gt=timezone.now()).count() == 2


def test_opening_the_page_after_the_items_went_to_another_shopper_frees_the_rest(shop):
    shop.client.get(shop.pay_url)
    expire(shop.checkout)
    reserved_checkout(shop.market, [(shop.lamp, 1)], session_key=Client().session.session_key)

    response = shop.client.get(shop.pay_url, follow=True)

    assert "Votre réservation a expiré" in response.content.decode()
    assert "Lampe restaurée" in response.content.decode()
    checkout = Checkout.objects.get(pk=shop.checkout.pk)
    assert checkout.state == Checkout.State.OPEN
    assert not Reservation.objects.filter(checkout=checkout).exists()
    assert not Payment.objects.filter(checkout=checkout).exclude(
        state=Payment.State.CREATED).exists()


def test_a_payment_after_the_reservation_expired_is_honoured_when_the_stock_is_there(shop):
    shop.client.get(shop.pay_url)
    expire(shop.checkout)

    response = shop.client.post(shop.pay_url, card())

    assert response.status_code == 302
    orders = Order.objects.filter(checkout=shop.checkout)
    assert {o.state for o in orders} == {Order.State.PAID}
    assert not Refund.objects.exists()
    assert Product.objects.get(pk=shop.lamp.pk).stock == 0


def test_paying_after_the_units_went_to_another_shopper_charges_nothing(shop):
    shop.client.get(shop.pay_url)
    expire(shop.checkout)
    rival = reserved_checkout(shop.market, [(shop.lamp, 1)],
                              session_key=Client().session.session_key)
    assert rival.state == Checkout.State.RESERVED

    response = shop.client.post(shop.pay_url, card(), follow=True)

    assert "Lampe restaurée" in response.content.decode()
    assert not Payment.objects.filter(checkout=shop.checkout,
                                      state=Payment.State.SUCCEEDED).exists()
    assert not Order.objects.filter(checkout=shop.checkout).exists()
    assert Product.objects.get(pk=shop.lamp.pk).stock == 1


def test_a_payment_that_succeeds_after_the_units_went_elsewhere_refunds_that_vendor(shop):
    shop.client.get(shop.pay_url)
    payment = Payment.objects.get(checkout=shop.checkout)
    expire(shop.checkout)
    rival = reserved_checkout(shop.market, [(shop.lamp, 1)],
                              session_key=Client().session.session_key)
    assert rival.state == Checkout.State.RESERVED

    # The card was confirmed at the provider before the precheck could refuse it (Stripe
    # confirms in the browser): the webhook brings the verdict.
    payment_succeeded(payment=payment)

    lamp_order = Order.objects.get(checkout=shop.checkout, vendor=shop.lamp.vendor)
    bowl_order = Order.objects.get(checkout=shop.checkout, vendor=shop.bowl.vendor)
    assert lamp_order.state == Order.State.REFUNDED
    assert bowl_order.state == Order.State.PAID
    refund = Refund.objects.get()
    assert (refund.order, refund.amount_cents, refund.state) == (
        lamp_order, 4500, Refund.State.SUCCEEDED)
    payment = Payment.objects.get(checkout=shop.checkout)
    assert payment.state == Payment.State.PARTIALLY_REFUNDED
    assert Product.objects.get(pk=shop.lamp.pk).stock == 1
    checkout = Checkout.objects.get(pk=shop.checkout.pk)
    assert ledger_total(checkout) == checkout.total_cents
    page = shop.client.get(shop.return_url).content.decode()
    assert shop.lamp.vendor.name in page
    assert "remboursé" in page


def test_the_return_page_of_a_declined_payment_says_so(shop):
    shop.client.get(shop.pay_url)
    shop.client.post(shop.pay_url, card(DECLINED))

    page = shop.client.get(shop.return_url).content.decode()

    assert "Carte refusée (démo)" in page


def test_the_return_page_of_a_payment_not_confirmed_yet_waits(shop):
    shop.client.get(shop.pay_url)

    page = shop.client.get(shop.return_url).content.decode()

    assert 'http-equiv="refresh"' in page


@pytest.mark.parametrize("vendors", [1, 12])
def test_the_payment_page_makes_as_many_queries_whatever_the_basket(
    client, vendors, django_assert_max_num_queries
):
    market = MarketPageFactory()
    products = [(product_in_market(market, stock=5), 2) for _ in range(vendors)]
    checkout = reserved_checkout(market, products, session_key=client.session.session_key)
    url = f"/paiement/{checkout.reference}/"
    client.get(url)

    # The page checks, right before the card is taken, that the market is open and the
    # units are still held (locking the checkout and its products): a fixed number of
    # queries whatever the basket holds.
    with django_assert_max_num_queries(20):
        response = client.get(url)

    assert response.status_code == 200

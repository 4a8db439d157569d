"""A declined card, without JavaScript (the demo card form posts to the payment page): the
post is answered with a redirect to a page that says why and offers to try again, so
that reloading it posts nothing."""

import pytest
from django.test import Client

from payments.models import Payment
from shop.models import Checkout, Order, Product, Reservation
from tests.factories import reserved_checkout

from .conftest import DECLINED, card

pytestmark = pytest.mark.django_db


def retry_url(shop) -> str:
    return f"/paiement/{shop.checkout.reference}/reessayer/"


def decline(shop):
    shop.client.get(shop.pay_url)
    return shop.client.post(shop.pay_url, card(DECLINED))


def test_a_declined_card_is_answered_with_a_redirect_to_a_page_that_can_be_reloaded(shop):
    response = decline(shop)

    assert response.status_code == 302
    assert response["Location"] == shop.return_url
    first = shop.client.get(shop.return_url)
    reloaded = shop.client.get(shop.return_url)
    for page in (first, reloaded):
        html = page.content.decode()
        assert page.status_code == 200
        assert "Paiement refusé" in html
        assert "Carte refusée (démo)" in html
        assert "Rien n’a été débité" in html or "Rien n'a été débité" in html
        assert f'action="{retry_url(shop)}"' in html
        assert "Réessayer le paiement" in html
    assert Payment.objects.filter(checkout=shop.checkout).count() == 1


def test_trying_again_holds_the_items_again_and_leads_to_the_card_form(shop):
    decline(shop)

    response = shop.client.post(retry_url(shop))

    assert response.status_code == 302
    assert response["Location"] == shop.pay_url
    checkout = Checkout.objects.get(pk=shop.checkout.pk)
    assert checkout.state == Checkout.State.RESERVED
    assert checkout.total_cents == 8200
    assert Reservation.objects.filter(checkout=checkout).count() == 2
    page = shop.client.get(shop.pay_url).content.decode()
    assert 'autocomplete="cc-number"' in page
    assert "Payer 82,00" in page


def test_the_second_try_with_a_good_card_pays(shop):
    decline(shop)
    shop.client.post(retry_url(shop))
    shop.client.get(shop.pay_url)

    response = shop.client.post(shop.pay_url, card())

    assert response["Location"] == shop.return_url
    assert Checkout.objects.get(pk=shop.checkout.pk).state == Checkout.State.PAID
    assert Order.objects.filter(checkout=shop.checkout).count() == 2
    assert Payment.objects.filter(checkout=shop.checkout,
                                  state=Payment.State.SUCCEEDED).count() == 1
    assert Product.objects.get(pk=shop.lamp.pk).stock == 0


def test_trying_again_after_an_item_went_elsewhere_goes_back_to_the_review(shop):
    decline(shop)
    reserved_checkout(shop.market, [(shop.lamp, 1)], session_key=Client().session.session_key)

    response = shop.client.post(retry_url(shop), follow=True)

    assert response.redirect_chain[0] == ("/commande/recapitulatif/", 302)
    assert "Votre panier a changé" in response.content.decode()
    checkout = Checkout.objects.get(pk=shop.checkout.pk)
    assert checkout.state == Checkout.State.OPEN
    assert not Reservation.objects.filter(checkout=checkout).exists()


def test_trying_again_while_the_items_are_still_held_goes_straight_to_the_card_form(shop):
    shop.client.get(shop.pay_url)
    held = list(Reservation.objects.filter(checkout=shop.checkout).values_list("pk", flat=True))

    response = shop.client.post(retry_url(shop))

    assert response["Location"] == shop.pay_url
    assert list(Reservation.objects.filter(checkout=shop.checkout)
                .values_list("pk", flat=True)) == held


def test_only_the_shoppers_session_can_try_again_and_only_by_post(shop):
    decline(shop)

    assert Client().post(retry_url(shop)).status_code == 403
    assert shop.client.get(retry_url(shop)).status_code == 405
    assert Checkout.objects.get(pk=shop.checkout.pk).state == Checkout.State.OPEN

"""The contact step of the next basket is filled in from the details given earlier in the
same browser session, or from the last order once signed in to « Mes commandes »."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shop.models import Checkout
from shop.orders.completion import checkout_complete
from tests.factories import MarketPageFactory, ProductFactory, paid_checkout, product_in_market
from tests.shop.test_views_checkout import CONTACT, fill_basket, reach_review

pytestmark = pytest.mark.django_db


def contact_form_values(html: str) -> dict:
    return dict(re.findall(r'<input type="[a-z]+" name="(\w+)" value="([^"]*)"', html))


def pay(client, checkout: Checkout) -> None:
    client.post(reverse("shop:checkout_review"), {"terms": "on"})
    checkout.refresh_from_db()
    checkout_complete(checkout=checkout, payment_reference="pay_test", gateway="demo")


def test_the_next_basket_starts_from_the_details_given(client):
    market = MarketPageFactory()
    first, second = product_in_market(market), product_in_market(market)
    checkout = reach_review(client, market, (first, 1))
    client.post(CONTACT, {"email": "lea@example.org", "first_name": "Léa",
                          "last_name": "Durand", "phone": "06 12 34 56 78"})
    pay(client, Checkout.objects.get(pk=checkout.pk))

    fill_basket(client, market, (second, 1))
    html = client.get(CONTACT).content.decode()

    values = contact_form_values(html)
    assert values["email"] == "lea@example.org"
    assert values["first_name"] == "Léa" and values["last_name"] == "Durand"
    assert values["phone"] == "06 12 34 56 78"


def test_another_session_starts_empty(client):
    market = MarketPageFactory()
    product = product_in_market(market)
    reach_review(client, market, (product, 1))
    other = Client()

    fill_basket(other, market, (product_in_market(market), 1))

    assert "lea@example.org" not in other.get(CONTACT).content.decode()


def test_signing_in_fills_the_contact_from_the_last_order(
        client, mailoutbox, django_capture_on_commit_callbacks):
    cache.clear()
    paid_checkout([(ProductFactory(), 1)], email="lea.durand@example.org", first_name="Léa",
                  last_name="Durand")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("shoppers:orders"), {"email": "lea.durand@example.org"})
    link = re.search(r"http://\S+/mes-commandes/connexion/\S+/", mailoutbox[-1].body).group(0)
    client.post(urlsplit(link).path)
    market = MarketPageFactory()

    fill_basket(client, market, (product_in_market(market), 1))
    values = contact_form_values(client.get(CONTACT).content.decode())

    assert values["email"] == "lea.durand@example.org"
    assert values["last_name"] == "Durand"
    client.post(reverse("shoppers:sign_out"))
    assert "lea.durand@example.org" not in client.get(CONTACT).content.decode()

"""« Retrouver mes commandes »: a sign-in link by e-mail, without account or password."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shop.models import OrderAccessLink
from shop.orders.selectors import order_link_token
from shop.shoppers.access import access_links_purge
from shop.shoppers.emails import access_link_email_send
from tests.factories import MarketPageFactory, ProductFactory, paid_checkout, product_in_market

pytestmark = pytest.mark.django_db

ORDERS = "/mes-commandes/"
NEUTRAL = "Si des commandes ont été passées avec cette adresse, un lien vient de vous être envoyé"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def checkout():
    market = MarketPageFactory(title="Marché de Noël de Rezé")
    product = ProductFactory(title="Théière émaillée", price_cents=1200)
    return paid_checkout([(product, 1)], market=market, email="Lea.Durand@example.org")


def ask_link(client, email, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(ORDERS, {"email": email}, follow=True, **extra)


def link_in(message) -> str:
    return re.search(r"http://\S+/mes-commandes/connexion/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return urlsplit(url).path


def sign_in(client, mailoutbox, django_capture_on_commit_callbacks, email="lea.durand@example.org"):
    ask_link(client, email, django_capture_on_commit_callbacks)
    return client.post(path_of(link_in(mailoutbox[-1])))


def test_the_header_links_to_the_page(client):
    html = client.get("/panier/").content.decode()

    assert f'href="{ORDERS}"' in html
    assert "Mes commandes" in html


def test_the_page_asks_for_the_e_mail_with_csrf(client):
    response = client.get(ORDERS)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="email"' in html and "csrfmiddlewaretoken" in html
    assert response["Cache-Control"] == "private, no-store"


def test_asking_without_the_csrf_token_is_refused(checkout, mailoutbox):
    client = Client(enforce_csrf_checks=True)

    response = client.post(ORDERS, {"email": "lea.durand@example.org"})

    assert response.status_code == 403
    assert mailoutbox == []


def test_a_known_address_gets_a_link_and_the_neutral_answer(
        client, checkout, mailoutbox, django_capture_on_commit_callbacks):
    response = ask_link(client, "  LEA.durand@example.org ", django_capture_on_commit_callbacks)

    assert NEUTRAL in response.content.decode()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["lea.durand@example.org"]
    assert "/mes-commandes/connexion/" in mailoutbox[0].body
    assert "/mes-commandes/connexion/" in mailoutbox[0].alternatives[0][0]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
        client, checkout, mailoutbox, django_capture_on_commit_callbacks):
    response = ask_link(client, "personne@example.org", django_capture_on_commit_callbacks)

    assert NEUTRAL in response.content.decode()
    assert mailoutbox == []
    assert not OrderAccessLink.objects.filter(email="personne@example.org").exists()


def test_an_address_asked_for_too_often_is_not_sent_more_and_told_nothing(
        client, checkout, mailoutbox, django_capture_on_commit_callbacks, settings):
    settings.SHOPPER_ACCESS_LINKS_PER_EMAIL = 2
    for number in range(3):
        response = ask_link(client, "lea.durand@example.org", django_capture_on_commit_callbacks,
                            REMOTE_ADDR=f"10.0.0.{number}")
        assert NEUTRAL in response.content.decode()

    assert len(mailoutbox) == 2


def test_a_client_asking_for_too_many_links_is_slowed_down(
        client, checkout, mailoutbox, django_capture_on_commit_callbacks, settings):
    settings.SHOPPER_ACCESS_LINKS_PER_IP = 2
    for number in range(2):
        ask_link(client, f"x{number}@example.org", django_capture_on_commit_callbacks)

    response = client.post(ORDERS, {"email": "lea.durand@example.org"})

    assert response.status_code == 429
    assert "Trop de liens" in response.content.decode()
    assert mailoutbox == []


def test_a_bad_address_is_refused_with_a_message(client):
    response = client.post(ORDERS, {"email": "pas-une-adresse"})

    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide" in response.content.decode()


def test_opening_the_link_does_not_spend_it_the_button_does(
        client, checkout, mailoutbox, django_capture_on_commit_callbacks):
    ask_link(client, "lea.durand@example.org", django_capture_on_commit_callbacks)
    link = path_of(link_in(mailoutbox[0]))

    shown = client.get(link)
    signed_in = client.post(link)

    assert shown.status_code == 200 and "Voir mes commandes" in shown.content.decode()
    assert signed_in.status_code == 302 and signed_in["Location"] == ORDERS
    html = client.get(ORDERS).content.decode()
    assert checkout.reference in html
    assert "Marché de Noël de Rezé" in html


def test_a_used_link_is_refused(client, checkout, mailoutbox, django_capture_on_commit_callbacks):
    sign_in(client, mailoutbox, django_capture_on_commit_callbacks)
    link = path_of(link_in(mailoutbox[0]))

    response = client.post(link)

    assert response.status_code == 410
    assert "déjà été utilisé" in response.content.decode()


def test_an_expired_link_is_refused(client, checkout, mailoutbox,
                                    django_capture_on_commit_callbacks):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        ask_link(client, "lea.durand@example.org", django_capture_on_commit_callbacks)
        link = path_of(link_in(mailoutbox[0]))
        traveller.shift(timedelta(minutes=61))

        shown, used = client.get(link), client.post(link)

    for response in (shown, used):
        assert response.status_code == 410
        assert "a expiré" in response.content.decode()
    assert checkout.reference not in client.get(ORDERS).content.decode()


def test_a_link_sent_late_still_expires_an_hour_after_it_was_asked_for(
        client, checkout, mailoutbox, django_capture_on_commit_callbacks):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=False):
            client.post(ORDERS, {"email": "lea.durand@example.org"})
        traveller.shift(timedelta(minutes=50))
        access_link_email_send(link_id=OrderAccessLink.objects.get().pk)
        traveller.shift(timedelta(minutes=11))

        response = client.post(path_of(link_in(mailoutbox[0])))

    assert response.status_code == 410


@pytest.mark.parametrize("tamper", [lambda token: token[:-2] + "xx",
                                    lambda token: "eyJsIjoxfQ" + token[10:],
                                    lambda token: "nimportequoi"])
def test_a_tampered_link_is_refused_with_a_clear_page(
        client, checkout, mailoutbox, django_capture_on_commit_callbacks, tamper):
    ask_link(client, "lea.durand@example.org", django_capture_on_commit_callbacks)
    token = link_in(mailoutbox[0]).rstrip("/").rsplit("/", 1)[1]

    response = client.post(reverse("shoppers:sign_in", args=[tamper(token)]))

    assert response.status_code == 400
    html = response.content.decode()
    assert "pas valide" in html
    assert 'name="email"' in html


def test_a_new_sign_in_spends_the_other_links_of_the_address(
        client, checkout, mailoutbox, django_capture_on_commit_callbacks):
    ask_link(client, "lea.durand@example.org", django_capture_on_commit_callbacks)
    first = path_of(link_in(mailoutbox[0]))
    sign_in(client, mailoutbox, django_capture_on_commit_callbacks)

    assert client.post(first).status_code == 410


def test_the_list_shows_every_paid_order_of_the_address_newest_first_across_markets(
        client, checkout, mailoutbox, django_capture_on_commit_callbacks):
    other_market = MarketPageFactory(title="Marché solidaire de Saint-Herblain")
    later = paid_checkout([(ProductFactory(title="Vélo"), 1)], market=other_market,
                          email="lea.durand@example.org")
    someone_else = paid_checkout([(ProductFactory(), 1)], email="autre@example.org")
    sign_in(client, mailoutbox, django_capture_on_commit_callbacks)

    html = client.get(ORDERS).content.decode()

    assert html.index(later.reference) < html.index(checkout.reference)
    assert "Marché solidaire de Saint-Herblain" in html
    assert someone_else.reference not in html
    order = checkout.orders.get()
    assert order.number in html and order.vendor.name in html
    assert "À préparer" in html
    assert "12,00\u00a0€" in html
    assert reverse("shop_orders:order_page", args=[order_link_token(checkout)]) in html


def test_signing_out_closes_the_space(client, checkout, mailoutbox,
                                      django_capture_on_commit_callbacks):
    sign_in(client, mailoutbox, django_capture_on_commit_callbacks)

    response = client.post(reverse("shoppers:sign_out"), follow=True)

    html = response.content.decode()
    assert checkout.reference not in html
    assert 'name="email"' in html
    assert client.get(reverse("shoppers:data"))["Location"] == ORDERS


def test_the_space_closes_by_itself_after_a_while(client, checkout, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, mailoutbox, django_capture_on_commit_callbacks)
        traveller.shift(timedelta(hours=3))

        html = client.get(ORDERS).content.decode()

    assert checkout.reference not in html


def test_the_basket_survives_the_sign_in(client, checkout, mailoutbox,
                                         django_capture_on_commit_callbacks):
    market = MarketPageFactory()
    product = product_in_market(market, title="Lampe")
    client.post(reverse("shop:basket_add"), {"market": market.pk, "product": product.pk})

    sign_in(client, mailoutbox, django_capture_on_commit_callbacks)

    assert "Lampe" in client.get(reverse("shop:basket")).content.decode()


def test_old_links_are_purged(checkout):
    old = OrderAccessLink.objects.create(email="lea.durand@example.org")
    OrderAccessLink.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=2))
    fresh = OrderAccessLink.objects.create(email="lea.durand@example.org")

    assert access_links_purge() == 1
    assert list(OrderAccessLink.objects.all()) == [fresh]

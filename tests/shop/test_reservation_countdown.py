"""Once the review holds the basket for the payment, every page from the basket to the
payment says until when, as a time any browser shows; a small script, where it runs,
counts the minutes down. Before that, the basket says when the items will be held."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.models import Checkout, Reservation
from tests.factories import MarketPageFactory, PickupPointFactory, product_in_market
from tests.shop.test_views_checkout import CONTACT, REVIEW, reach_review

pytestmark = pytest.mark.django_db

BASKET = "/panier/"
SCRIPT = '<script src="/static/shop/reservation.js" defer></script>'


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.fixture
def reserved(client):
    """A shopper whose basket the review has just held for the payment."""
    market = MarketPageFactory()
    PickupPointFactory(market=market)
    vase = product_in_market(market, title="Vase", stock=1)
    checkout = reach_review(client, market, (vase, 1))
    response = client.post(REVIEW, {"terms": "on"})
    assert response["Location"] == f"/paiement/{checkout.reference}/"
    checkout.refresh_from_db()
    assert checkout.state == Checkout.State.RESERVED
    until = timezone.localtime(Reservation.objects.get(checkout=checkout).expires_at)
    return {"checkout": checkout, "until": until, "pay": response["Location"]}


@pytest.mark.parametrize("page", ["basket", "step", "payment"])
def test_every_page_from_the_basket_to_the_payment_says_until_when(client, reserved, page):
    url = {"basket": BASKET, "step": CONTACT, "payment": reserved["pay"]}[page]

    html = client.get(url).content.decode()

    until = reserved["until"]
    main = main_of(html)
    assert f"Vos articles sont réservés jusqu'à {until:%-H} h {until:%M}." in main
    assert 'aria-live="polite"' in main
    assert "data-reservation-seconds=" in main
    assert "<script" not in main
    assert html.count(SCRIPT) == 1


def test_the_script_is_told_how_many_seconds_are_left_not_the_clock_time(client, reserved):
    html = client.get(BASKET).content.decode()

    seconds = int(html.split('data-reservation-seconds="', 1)[1].split('"', 1)[0])
    assert 14 * 60 < seconds <= 15 * 60
    assert 'data-minutes-many="Plus que {n} minutes."' in html
    assert 'data-minutes-one="Plus qu’une minute."' in html


def test_a_lapsed_reservation_is_no_longer_announced(client, reserved):
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    html = client.get(BASKET).content.decode()

    assert "réservés jusqu'à" not in html
    assert SCRIPT not in html


def test_before_the_review_the_basket_says_when_items_will_be_held(client):
    market = MarketPageFactory()
    vase = product_in_market(market, title="Vase", stock=1)
    client.post("/panier/ajouter/", {"market": market.pk, "product": vase.pk, "quantity": 1})

    html = client.get(BASKET).content.decode()

    assert "réservés jusqu'à" not in html
    assert SCRIPT not in html
    assert ("Vos articles vous seront réservés pendant 15 minutes quand vous passerez "
            "au paiement.") in html


def test_the_review_says_how_long_the_items_will_be_held(client):
    market = MarketPageFactory()
    PickupPointFactory(market=market)
    vase = product_in_market(market, title="Vase", stock=1)
    reach_review(client, market, (vase, 1))

    html = client.get(REVIEW).content.decode()

    assert ("Vos articles vous seront réservés pendant 15 minutes quand vous passerez "
            "au paiement.") in html

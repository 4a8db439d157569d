"""A Christmas market's life told on the clock, in Paris time: before it opens, the
opening minute, a pause with a shopper at the payment step, the closing. The shopper goes
through the storefront and the basket, the announcements through the beat task."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from markets.lifecycle import MarketAnnouncement
from markets.models import MarketParticipation
from markets.tasks import announce_markets
from payments.models import Payment
from shop.checkout.services import checkout_reserve
from shop.models import Checkout, Order, Product
from tests.factories import (
    MarketPageFactory,
    ParticipationFactory,
    VendorFactory,
    product_in_market,
    product_url,
    reserved_checkout,
)
from tests.payments.conftest import card
from tests.shop.test_views_basket import add, basket_lines, messages_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
OPENS = datetime(2027, 11, 27, 10, 0, tzinfo=PARIS)
CLOSES = datetime(2027, 12, 24, 19, 0, tzinfo=PARIS)


@pytest.fixture
def clock():
    with time_machine.travel(OPENS - timedelta(days=2), tick=False) as traveller:
        yield traveller


@pytest.fixture
def market(clock):
    market = MarketPageFactory(title="Marché de Noël des quais", opens_at=OPENS,
                               closes_at=CLOSES)
    organiser = market.get_parent().specific.organiser
    organiser.contact_email = "equipe@example.org"
    organiser.save()
    return market


@pytest.fixture
def lamp(market):
    product = product_in_market(market, title="Lampe en laiton", price_cents=3200, stock=1)
    product.vendor.email = "atelier@example.org"
    product.vendor.save()
    return product


def beat(callbacks) -> int:
    """One run of the `announce_markets` beat task, its e-mails sent once committed."""
    with callbacks(execute=True):
        return announce_markets.delay().get()


def addressed_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def page_of(client, market, product=None) -> str:
    url = product_url(market, product) if product else market.url
    return client.get(url).content.decode()


def set_paused(market, paused: bool) -> None:
    market.is_paused = paused
    market.save_revision().publish()


def test_before_the_opening_the_products_show_but_cannot_be_bought(client, market, lamp):
    # Given the market two days before it opens
    # When a shopper looks at it and tries to add the lamp
    html = page_of(client, market, lamp)
    response = add(client, market, lamp)

    # Then it is « à venir », says when it opens, and nothing goes in the basket
    assert "À venir" in html
    assert "27 novembre 2027 à 10:00" in html
    assert reverse("shop:basket_add") not in html
    assert basket_lines(client) == {}
    assert messages_of(client.get(response["Location"])) == [
        "Ce marché ouvre le 27 novembre 2027 à 10:00 : rien ne peut y être acheté avant."]


def test_the_opening_minute_is_announced_once_to_the_approved_vendors_and_the_team(
    client, clock, market, lamp, django_capture_on_commit_callbacks
):
    # Given a vendor still waiting for an answer, besides the approved one
    ParticipationFactory(market=market, vendor=VendorFactory(email="attente@example.org"),
                         state=MarketParticipation.State.APPLIED)
    clock.move_to(OPENS - timedelta(minutes=1))
    assert beat(django_capture_on_commit_callbacks) == 0

    # When the beat runs at the opening minute, then again a minute later
    clock.move_to(OPENS)
    first = beat(django_capture_on_commit_callbacks)
    clock.move_to(OPENS + timedelta(minutes=1))
    second = beat(django_capture_on_commit_callbacks)

    # Then the approved vendor and the organiser's team got one e-mail each, no one else
    assert (first, second) == (1, 0)
    assert len(addressed_to("atelier@example.org")) == 1
    assert len(addressed_to("equipe@example.org")) == 1
    assert addressed_to("attente@example.org") == []
    assert MarketAnnouncement.objects.get(market=market).at == OPENS
    # and the lamp can be bought from that minute
    assert "Ouvert" in page_of(client, market, lamp)
    add(client, market, lamp)
    assert basket_lines(client) == {lamp.pk: 1}


def test_a_pause_stops_sales_at_once_even_at_the_payment_step_and_unpausing_resumes(
    client, clock, market, lamp
):
    # Given a shopper at the payment step on the opening evening
    clock.move_to(OPENS + timedelta(hours=9))
    checkout = reserved_checkout(market, [(lamp, 1)], session_key=client.session.session_key)
    pay_url = f"/paiement/{checkout.reference}/"
    assert client.get(pay_url).status_code == 200
    other = product_in_market(market, title="Théière", price_cents=1200, stock=2)

    # When the organiser pauses the market and the shopper then confirms the card
    clock.move_to(OPENS + timedelta(hours=9, minutes=2))
    set_paused(market, True)
    response = client.post(pay_url, card(), follow=True)
    refused_add = add(client, market, other)

    # Then nothing is charged, the lamp goes back on sale and nothing can be added
    assert "Les ventes sont suspendues" in response.content.decode()
    assert not Payment.objects.filter(checkout=checkout, state__in=Payment.CHARGED).exists()
    assert not Order.objects.exists()
    assert Checkout.objects.get(pk=checkout.pk).state == Checkout.State.OPEN
    assert not checkout.reservations.exists()
    assert "En pause" in page_of(client, market, other)
    assert other.pk not in basket_lines(client)
    assert refused_add.status_code == 302

    # When sales resume ten minutes later and the shopper reviews the basket and pays
    clock.move_to(OPENS + timedelta(hours=9, minutes=12))
    set_paused(market, False)
    assert checkout_reserve(checkout=checkout).ok  # the review step, again
    client.get(pay_url)
    client.post(pay_url, card())

    # Then the lamp is sold, once
    assert Order.objects.get().state == Order.State.PAID
    assert Product.objects.get(pk=lamp.pk).stock == 0


def test_the_closing_shows_clos_and_asks_vendors_once_to_prepare_their_orders(
    client, clock, market, lamp, django_capture_on_commit_callbacks
):
    # Given the market open, its opening announced
    clock.move_to(OPENS)
    beat(django_capture_on_commit_callbacks)
    mail.outbox.clear()
    clock.move_to(CLOSES - timedelta(minutes=1))
    assert beat(django_capture_on_commit_callbacks) == 0
    assert "Ouvert" in page_of(client, market, lamp)

    # When the beat runs at the closing minute, then twice more
    clock.move_to(CLOSES)
    runs = [beat(django_capture_on_commit_callbacks)]
    clock.move_to(CLOSES + timedelta(minutes=1))
    runs += [beat(django_capture_on_commit_callbacks), beat(django_capture_on_commit_callbacks)]

    # Then the market is « clos », nothing can be added, and the vendor was told once
    assert runs == [1, 0, 0]
    html = page_of(client, market, lamp)
    assert "Clos" in html and reverse("shop:basket_add") not in html
    add(client, market, lamp)
    assert basket_lines(client) == {}
    to_vendor = addressed_to("atelier@example.org")
    assert len(to_vendor) == 1
    assert to_vendor[0].subject.endswith("est clos : vos commandes à préparer")
    assert len(addressed_to("equipe@example.org")) == 1


def test_across_the_october_time_change_the_opening_is_at_ten_paris_time(
    client, clock, django_capture_on_commit_callbacks
):
    # Given an autumn market opening at 10:00 on the Sunday clocks go back (UTC+2 → UTC+1)
    opens = datetime(2027, 10, 31, 10, 0, tzinfo=PARIS)
    assert opens.utcoffset() == timedelta(hours=1)
    clock.move_to(opens - timedelta(days=1))
    market = MarketPageFactory(title="Marché d'automne", opens_at=opens,
                               closes_at=datetime(2027, 11, 7, 19, 0, tzinfo=PARIS))
    product = product_in_market(market, title="Manteau de laine", stock=1)

    # When the beat runs at 10:00 summer time (an hour early), then at 10:00 winter time
    clock.move_to(datetime(2027, 10, 31, 8, 0, tzinfo=ZoneInfo("UTC")))
    early = beat(django_capture_on_commit_callbacks)
    early_page = page_of(client, market, product)
    clock.move_to(datetime(2027, 10, 31, 9, 0, tzinfo=ZoneInfo("UTC")))
    on_time = beat(django_capture_on_commit_callbacks)

    # Then the market opens at 10:00 Paris time, as its page says
    assert (early, on_time) == (0, 1)
    assert "À venir" in early_page and "31 octobre 2027 à 10:00" in early_page
    assert "Ouvert" in page_of(client, market, product)

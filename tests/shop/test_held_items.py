"""An item held in another shopper's basket awaiting payment, one really sold, one already
in the shopper's own basket: the storefront and the basket say which, in plain French."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shop.models import CartLine, Product, Reservation
from tests.factories import (
    MarketPageFactory,
    product_in_market,
    product_url,
    reserved_checkout,
    vendor_url,
)

pytestmark = pytest.mark.django_db

ADD = reverse("shop:basket_add")


def add(client, market, product, quantity=1):
    return client.post(ADD, {"market": market.pk, "product": product.pk,
                             "quantity": quantity, "next": product_url(market, product)})


def put_in_basket(client, market, product, quantity=1) -> None:
    """Add, and read the page the shopper is sent back to (its notice shown)."""
    client.get(add(client, market, product, quantity)["Location"])


def notices(client, response) -> list[str]:
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


def basket_lines(client) -> dict:
    return dict(CartLine.objects.filter(cart__session_key=client.session.session_key)
                .values_list("product_id", "quantity"))


def held_by_someone_else(market, product, quantity=1):
    """Another shopper reached the payment step with `quantity` units of `product`."""
    checkout = reserved_checkout(market, [(product, quantity)],
                                 session_key=Client().session.session_key)
    return timezone.localtime(checkout.reservations.get().expires_at)


def clock(moment) -> str:
    return f"{moment:%-H} h {moment:%M}"


@pytest.fixture
def market():
    market = MarketPageFactory()
    market.save_revision().publish()
    return market


def add_forms_for(html: str, product) -> int:
    return html.count(f'name="product" value="{product.pk}"')


def test_a_unique_item_held_elsewhere_shows_it_everywhere_instead_of_the_button(client, market):
    vase = product_in_market(market, title="Vase soliflore", stock=1)
    bowl = product_in_market(market, title="Bol", stock=1)
    until = held_by_someone_else(market, vase)

    pages = {
        "product": client.get(product_url(market, vase)).content.decode(),
        "catalogue": client.get(market.url).content.decode(),
        "vendor": client.get(vendor_url(market, vase.vendor)).content.decode(),
    }

    for name, html in pages.items():
        assert "Réservé dans un autre panier" in html, name
        assert add_forms_for(html, vase) == 0, name
        assert clock(until) in html, name
    assert add_forms_for(pages["catalogue"], bowl) == 1
    assert "Vendu" not in pages["product"].split("<main", 1)[1].split("Vendu par", 1)[0]


def test_adding_a_unique_item_held_elsewhere_is_refused_as_reserved_not_sold_out(client, market):
    vase = product_in_market(market, title="Vase soliflore", stock=1)
    until = held_by_someone_else(market, vase)

    response = add(client, market, vase)

    [notice] = notices(client, response)
    assert notice.startswith("« Vase soliflore » est réservé dans un autre panier.")
    assert clock(until) in notice
    assert "épuisé" not in notice
    assert basket_lines(client) == {}


def test_once_the_other_reservation_lapses_the_item_can_be_added_again(client, market):
    vase = product_in_market(market, title="Vase soliflore", stock=1)
    held_by_someone_else(market, vase)
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    html = client.get(product_url(market, vase)).content.decode()

    assert "Réservé dans un autre panier" not in html
    assert add_forms_for(html, vase) == 1
    add(client, market, vase)
    assert basket_lines(client) == {vase.pk: 1}


def test_a_sold_item_says_sold_and_adding_it_says_so(client, market):
    vase = product_in_market(market, title="Vase soliflore", stock=1)
    Product.objects.filter(pk=vase.pk).update(stock=0)

    html = client.get(product_url(market, vase)).content.decode()
    response = add(client, market, vase)

    assert "Vendu" in html and add_forms_for(html, vase) == 0
    assert notices(client, response) == ["« Vase soliflore » a été vendu."]


def test_adding_a_unique_item_twice_says_it_is_already_in_the_basket(client, market):
    vase = product_in_market(market, title="Vase soliflore", stock=1)
    put_in_basket(client, market, vase)

    response = add(client, market, vase)

    assert notices(client, response) == [
        "« Vase soliflore » est déjà dans votre panier : c’est une pièce unique."]
    assert basket_lines(client) == {vase.pk: 1}


def test_a_unique_item_in_ones_own_basket_shows_it_instead_of_the_button(client, market):
    vase = product_in_market(market, title="Vase soliflore", stock=1)
    add(client, market, vase)

    html = client.get(product_url(market, vase)).content.decode()

    assert "Dans votre panier" in html
    assert add_forms_for(html, vase) == 0
    assert "Réservé dans un autre panier" not in html


@pytest.mark.parametrize(("stock", "held", "in_basket", "adding", "notice"), [
    (2, 1, 0, 2, "Il ne reste qu’une unité de « Chaise »."),
    (3, 0, 1, 5, "Il ne reste que 3 unités de « Chaise »."),
    (2, 1, 1, 1, "Il ne reste qu’une unité de « Chaise », déjà dans votre panier."),
    (3, 0, 3, 1, "Il ne reste que 3 unités de « Chaise », déjà dans votre panier."),
])
def test_too_many_units_of_an_ordinary_item_says_how_many_are_left_in_good_french(
    client, market, stock, held, in_basket, adding, notice
):
    chair = product_in_market(market, title="Chaise", stock=stock,
                              condition=Product.Condition.NEW)
    if held:
        held_by_someone_else(market, chair, held)
    if in_basket:
        put_in_basket(client, market, chair, in_basket)

    response = add(client, market, chair, adding)

    assert notices(client, response) == [notice]


def test_the_basket_says_an_item_is_held_elsewhere_rather_than_sold_out(client, market):
    vase = product_in_market(market, title="Vase soliflore", stock=1)
    add(client, market, vase)
    held_by_someone_else(market, vase)

    html = client.get("/panier/").content.decode()

    assert "Cet article est réservé dans un autre panier." in html
    assert "épuisé" not in html

"""The shopper's basket through HTTP: add, change, remove, one market, unavailable items,
htmx fragments."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shop.models import CartLine, Checkout, Reservation
from tests.factories import (
    MarketPageFactory,
    VendorFactory,
    product_in_market,
    product_url,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

BASKET = "/panier/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def add(client, market, product, quantity=1, **extra):
    return client.post(
        reverse("shop:basket_add"),
        {"market": market.pk, "product": product.pk, "quantity": quantity,
         "next": product_url(market, product)},
        **extra,
    )


def basket_lines(client) -> dict:
    return {
        line.product_id: line.quantity
        for line in CartLine.objects.filter(cart__session_key=client.session.session_key)
    }


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def market():
    return MarketPageFactory()


def test_the_basket_lives_at_panier():
    assert reverse("shop:basket") == BASKET


def test_adding_from_the_product_page_puts_it_in_the_basket_and_goes_back(client, market):
    # given
    product = product_in_market(market, title="Théière en fonte", stock=3)

    # when
    response = add(client, market, product, quantity=2)

    # then
    assert response.status_code == 302
    assert response["Location"] == product_url(market, product)
    assert basket_lines(client) == {product.pk: 2}
    page = client.get(response["Location"])
    assert "« Théière en fonte » est dans votre panier." in messages_of(page)


def test_adding_twice_adds_up(client, market):
    product = product_in_market(market, stock=5)

    add(client, market, product)
    add(client, market, product, quantity=2)

    assert basket_lines(client) == {product.pk: 3}


def test_an_open_market_shows_the_add_form_on_its_product_page_and_cards(client, market):
    # given
    product = product_in_market(market, title="Lampe en laiton", stock=2)
    market.save_revision().publish()

    # when
    product_page = client.get(product_url(market, product)).content.decode()
    market_page = client.get(market.url).content.decode()

    # then
    for html in (product_page, market_page):
        assert f'action="{reverse("shop:basket_add")}"' in html
        assert "csrfmiddlewaretoken" in html
        assert "Ajouter au panier" in html
        assert "vendor/htmx/htmx.min.js" in html
    assert 'name="quantity"' in product_page


@pytest.mark.parametrize("state", ["closed", "upcoming", "paused", "sold out"])
def test_no_add_form_where_nothing_can_be_bought(client, state):
    # given
    now = timezone.now()
    dates = {
        "closed": {"opens_at": now - timedelta(days=30), "closes_at": now - timedelta(days=1)},
        "upcoming": {"opens_at": now + timedelta(days=3), "closes_at": now + timedelta(days=30)},
        "paused": {"is_paused": True},
        "sold out": {},
    }[state]
    market = MarketPageFactory(**dates)
    product = product_in_market(market, stock=0 if state == "sold out" else 1)

    # when
    html = client.get(product_url(market, product)).content.decode()

    # then
    assert reverse("shop:basket_add") not in html
    if state != "sold out":
        assert "htmx.min.js" not in html


def test_a_closed_market_refuses_additions(client):
    market = MarketPageFactory(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=1)
    )
    product = product_in_market(market)

    response = add(client, market, product)

    assert response.status_code == 302
    assert basket_lines(client) == {}
    assert "Ce marché n’est pas ouvert : rien ne peut y être acheté pour l’instant." in (
        messages_of(client.get(response["Location"]))
    )


def test_a_basket_holds_one_market_only(client, market):
    # given
    first = product_in_market(market, title="Bol")
    other_market = MarketPageFactory()
    second = product_in_market(other_market, title="Tasse")
    add(client, market, first)

    # when
    response = add(client, other_market, second)

    # then
    assert basket_lines(client) == {first.pk: 1}
    page = client.get(response["Location"])
    assert any("produits d’un autre marché" in message for message in messages_of(page))


def test_more_than_the_stock_cannot_be_added(client, market):
    product = product_in_market(market, title="Chaise", stock=2)

    add(client, market, product, quantity=2)
    response = add(client, market, product)

    assert basket_lines(client) == {product.pk: 2}
    notices = messages_of(client.get(response["Location"]))
    assert "Il ne reste que 2 unités de « Chaise », déjà dans votre panier." in notices


def test_an_external_next_address_is_not_followed(client, market):
    product = product_in_market(market)

    response = client.post(reverse("shop:basket_add"), {
        "market": market.pk, "product": product.pk, "next": "https://evil.example/",
    })

    assert response["Location"] == BASKET


def test_the_basket_groups_lines_by_vendor_with_subtotals(client, market):
    # given
    atelier = VendorFactory(name="Atelier du Bois")
    ressourcerie = VendorFactory(name="Ressourcerie du Port")
    add(client, market, product_in_market(market, vendor=atelier, price_cents=1000, stock=5), 2)
    add(client, market, product_in_market(market, vendor=ressourcerie, price_cents=450))
    add(client, market, product_in_market(market, vendor=atelier, price_cents=300))

    # when
    response = client.get(BASKET)

    # then
    html = response.content.decode()
    basket = response.context["basket"]
    assert [group.vendor.name for group in basket.groups] == ["Atelier du Bois",
                                                             "Ressourcerie du Port"]
    assert [group.subtotal_cents for group in basket.groups] == [2300, 450]
    assert "Vendu par Atelier du Bois" in html
    assert "23,00\u00a0€" in html
    assert "27,50\u00a0€" in html
    assert reverse("shop:checkout") in html


def test_changing_the_quantity(client, market):
    product = product_in_market(market, stock=4)
    add(client, market, product)

    response = client.post(reverse("shop:basket_update", args=[product.pk]), {"quantity": 3})

    assert response.status_code == 302
    assert response["Location"] == BASKET
    assert basket_lines(client) == {product.pk: 3}


def test_a_quantity_above_what_is_left_is_refused(client, market):
    product = product_in_market(market, title="Vase", stock=2)
    add(client, market, product)

    response = client.post(reverse("shop:basket_update", args=[product.pk]), {"quantity": 5},
                           follow=True)

    assert basket_lines(client) == {product.pk: 1}
    assert "Il ne reste que 2 unités de « Vase »." in messages_of(response)


def test_a_quantity_of_zero_removes_the_line(client, market):
    product = product_in_market(market)
    add(client, market, product)

    client.post(reverse("shop:basket_update", args=[product.pk]), {"quantity": 0})

    assert basket_lines(client) == {}


def test_a_bad_quantity_is_refused_with_a_message(client, market):
    product = product_in_market(market)
    add(client, market, product)

    response = client.post(reverse("shop:basket_update", args=[product.pk]), {"quantity": "x"},
                           follow=True)

    assert basket_lines(client) == {product.pk: 1}
    assert "Saisissez une quantité entre 0 et 99." in messages_of(response)


def test_removing_a_line(client, market):
    kept = product_in_market(market, title="Gardé")
    removed = product_in_market(market, title="Retiré")
    add(client, market, kept)
    add(client, market, removed)

    response = client.post(reverse("shop:basket_remove", args=[removed.pk]), follow=True)

    assert basket_lines(client) == {kept.pk: 1}
    assert "« Retiré » a été retiré de votre panier." in messages_of(response)


def test_the_header_shows_the_number_of_items(client, market):
    product = product_in_market(market, stock=5)
    add(client, market, product, quantity=3)

    html = client.get(market.url).content.decode()

    assert 'id="basket-link"' in html
    assert '<span class="basket-link__count" aria-hidden="true">3</span>' in html
    assert "(3 articles)" in html


def test_an_empty_basket_says_so(client):
    response = client.get(BASKET)

    assert response.status_code == 200
    assert "Votre panier est vide." in response.content.decode()


@pytest.mark.parametrize(
    ("change", "notice"),
    [
        ("inactive", "Cet article n’est plus en vente."),
        ("suspended", "Ce vendeur ne vend plus sur ce marché."),
        ("sold out", "Cet article a été vendu."),
        ("stock lower", "Il ne reste qu’une unité : diminuez la quantité."),
        ("held elsewhere", "Il ne reste qu’une unité : diminuez la quantité."),
    ],
)
def test_items_that_became_unavailable_are_flagged(client, market, change, notice):
    # given
    product = product_in_market(market, title="Buffet", price_cents=9000, stock=3)
    other = product_in_market(market, title="Miroir", price_cents=1500)
    add(client, market, product, quantity=2)
    add(client, market, other)
    if change == "inactive":
        product.is_active = False
        product.save()
    elif change == "suspended":
        Vendor.objects.filter(pk=product.vendor_id).update(status=Vendor.Status.SUSPENDED)
    elif change == "sold out":
        product.stock = 0
        product.save()
    elif change == "stock lower":
        product.stock = 1
        product.save()
    else:
        someone_else = Checkout.objects.create(market=market)
        Reservation.objects.create(product=product, checkout=someone_else, quantity=2,
                                   expires_at=timezone.now() + timedelta(minutes=10))
        expired = Checkout.objects.create(market=market)
        Reservation.objects.create(product=product, checkout=expired, quantity=3,
                                   expires_at=timezone.now() - timedelta(minutes=1))

    # when
    response = client.get(BASKET)

    # then
    html = response.content.decode()
    assert notice in html
    assert "basket-line--unavailable" in html
    assert response.context["basket"].total_cents == 1500


def test_the_shoppers_own_reservation_does_not_count_against_them(client, market):
    product = product_in_market(market, stock=1)
    add(client, market, product)
    cart_checkout = Checkout.objects.create(
        market=market, cart=CartLine.objects.get(product=product).cart
    )
    Reservation.objects.create(product=product, checkout=cart_checkout, quantity=1,
                               expires_at=timezone.now() + timedelta(minutes=10))

    response = client.get(BASKET)

    assert response.context["basket"].unavailable_lines == []


def test_htmx_add_answers_with_the_message_and_the_header_count(client, market):
    product = product_in_market(market, title="Nappe brodée", stock=2)

    response = add(client, market, product, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "« Nappe brodée » est dans votre panier." in html
    assert 'id="basket-link"' in html and 'hx-swap-oob="true"' in html
    assert basket_lines(client) == {product.pk: 1}


def test_htmx_add_error_is_answered_in_place(client, market):
    product = product_in_market(market, title="Unique", stock=1)
    add(client, market, product)

    response = add(client, market, product, **HTMX)

    assert response.status_code == 200
    assert "« Unique » est déjà dans votre panier : c’est une pièce unique." in (
        response.content.decode())


def test_htmx_basket_change_answers_with_the_basket_fragment(client, market):
    product = product_in_market(market, price_cents=700, stock=4)
    add(client, market, product)

    response = client.post(reverse("shop:basket_update", args=[product.pk]), {"quantity": 2},
                           **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "14,00\u00a0€" in html
    assert 'id="basket-messages"' in html
    assert '<span class="basket-link__count" aria-hidden="true">2</span>' in html


def test_htmx_removal_answers_with_the_basket_fragment(client, market):
    product = product_in_market(market, title="Coussin")
    add(client, market, product)

    response = client.post(reverse("shop:basket_remove", args=[product.pk]), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Votre panier est vide." in html
    assert "« Coussin » a été retiré de votre panier." in html


def test_the_basket_page_loads_htmx_from_the_site_and_has_no_inline_script(client, market):
    add(client, market, product_in_market(market))

    html = client.get(BASKET).content.decode()

    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in html
    assert html.count("<script") == 1


def test_changing_the_basket_releases_a_reservation_awaiting_payment(client, market):
    # given
    product = product_in_market(market, stock=3)
    add(client, market, product)
    cart = CartLine.objects.get(product=product).cart
    checkout = Checkout.objects.create(market=market, cart=cart, state=Checkout.State.RESERVED)
    Reservation.objects.create(product=product, checkout=checkout, quantity=1,
                               expires_at=timezone.now() + timedelta(minutes=10))
    session = client.session
    session["checkout_id"] = checkout.pk
    session.save()

    # when
    client.post(reverse("shop:basket_update", args=[product.pk]), {"quantity": 2})

    # then
    checkout.refresh_from_db()
    assert checkout.state == Checkout.State.OPEN
    assert not Reservation.objects.filter(checkout=checkout).exists()

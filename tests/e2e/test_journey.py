"""A new shopper's whole journey, on a phone and on a desktop, with and without
JavaScript: home → market → search → product → basket (two vendors) → checkout steps →
demo payment → confirmation. Pages are found by what they say (roles, labels, texts);
each one must fit its viewport and pass axe-core (see `checks`)."""

import re

import pytest
from playwright.sync_api import expect

from shop.models import Checkout
from tests.e2e.checks import assert_page_holds
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.market_data import christmas_market

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

JOURNEYS = [
    pytest.param(viewport, javascript, id=f"{name}-{'js' if javascript else 'no-js'}")
    for name, viewport in (("390", PHONE), ("1280", DESKTOP))
    for javascript in (True, False)
]


def add_to_basket(page, button_name: str, count: int) -> None:
    """Adds, then waits for the basket link to show `count` (in place or after reload)."""
    page.get_by_role("button", name=button_name).click()
    articles = "article" if count == 1 else "articles"
    expect(page.get_by_role("link", name=re.compile(rf"Panier.*\({count} {articles}\)"))
           ).to_be_visible()


def continue_to(page, heading: str) -> None:
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


@pytest.mark.parametrize(("viewport", "javascript"), JOURNEYS)
def test_a_new_shopper_buys_from_two_vendors_and_pays(live_server, open_page, viewport,
                                                      javascript):
    shop = christmas_market()
    page = open_page(viewport, javascript=javascript)
    audit_page = None if javascript else open_page(viewport)

    def page_holds():
        assert_page_holds(page, audit_page)

    # Home, the market, a search, a product
    page.goto(live_server.url + "/")
    page_holds()
    page.get_by_role("link", name=shop.market.title).click()
    expect(page.get_by_role("heading", level=1, name=shop.market.title)).to_be_visible()
    page_holds()
    if viewport == PHONE:  # the filters are folded so that the products come first
        page.get_by_text("Filtrer", exact=True).click()
    page.get_by_label("Rechercher").fill("Théière")
    page.get_by_role("button", name="Afficher les produits").click()
    expect(page.get_by_role("heading", name=shop.bike)).to_have_count(0)
    page_holds()
    page.get_by_role("link", name=shop.teapot).click()
    expect(page.get_by_role("heading", level=1, name=shop.teapot)).to_be_visible()

    # The basket: one item from the product page, one from the market's listing
    add_to_basket(page, "Ajouter au panier", count=1)
    page_holds()
    page.get_by_role("link", name=shop.market.title, exact=True).click()
    add_to_basket(page, f"Ajouter au panier – {shop.jam}", count=2)
    page_holds()
    page.get_by_role("link", name=re.compile(r"^Panier")).click()
    expect(page.get_by_role("heading", level=1, name="Votre panier")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Ressourcerie de l'Île"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Épicerie coopérative"))).to_be_visible()
    page_holds()
    page.get_by_role("link", name="Passer commande").click()

    # Contact details
    expect(page.get_by_role("heading", name="Coordonnées", exact=True)).to_be_visible()
    page_holds()
    page.get_by_label("E-mail").fill("lea@example.org")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label(re.compile(r"^Nom\b")).fill("Durand")
    continue_to(page, "Retrait ou livraison")

    # One pick-up slot for the basket, shipping for the vendor that ships (the page is
    # checked with the address fields shown)
    page.get_by_role("radio", name=re.compile(r"^10:00")).first.check()
    page.get_by_role("group", name=re.compile("Épicerie coopérative des Quais")) \
        .get_by_role("radio", name=re.compile("^Livraison")).check()
    page.get_by_label(re.compile(r"^Adresse\b")).fill("3 rue des Lilas, appartement 12")
    page.get_by_label("Code postal").fill("44100")
    page.get_by_label("Ville").fill("Nantes")
    page_holds()
    continue_to(page, "Projet solidaire")

    # The project that receives the shares, a donation, the review
    page_holds()
    page.get_by_role("radio", name=re.compile(shop.project_title)).check()
    continue_to(page, "Don")
    page_holds()
    page.get_by_role("radio", name=re.compile("^Arrondir")).check()
    continue_to(page, "Vérifiez votre commande")
    page_holds()
    page.get_by_role("checkbox", name=re.compile("accepte les conditions")).check()
    page.get_by_role("button", name=re.compile("^Passer au paiement")).click()

    # The demo payment, then the confirmation
    expect(page.get_by_role("heading", level=1, name="Paiement")).to_be_visible()
    page_holds()
    page.get_by_label("Numéro de carte").fill("4242 4242 4242 4242")
    page.get_by_label("Date d'expiration").fill("12/30")
    page.get_by_label("Cryptogramme").fill("123")
    page.get_by_role("button", name=re.compile("^Payer")).click()
    expect(page.get_by_role("heading", level=1, name="Paiement")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page_holds()

    checkout = Checkout.objects.get(email="lea@example.org")
    assert checkout.state == Checkout.State.PAID
    assert checkout.orders.count() == 2

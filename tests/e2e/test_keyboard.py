"""A shopper who uses only the keyboard, on a phone-sized screen with JavaScript: from the
market's listing to the confirmation, with Tab, Enter and Space, and the focus always
visible."""

import re
from functools import partial

import pytest
from playwright.sync_api import expect

from shop.models import Checkout
from tests.e2e.checks import focus_style
from tests.e2e.conftest import PHONE
from tests.e2e.market_data import christmas_market

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def tab_to(page, target, *, limit: int = 60) -> None:
    """Presses Tab until the focus reaches `target` (a locator by role or label); wherever
    it lands on the way, the focus ring must show."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = focus_style(page)
        if focused["tag"] == "BODY":
            break
        assert focused["outline"] or focused["shadow"], f"the focus cannot be seen on {focused}"
        # `target` may name several elements (two links to the basket): any of them will do.
        if target.evaluate_all("elements => elements.includes(document.activeElement)"):
            return
        seen.append(focused["text"])
    raise AssertionError(f"Tab never reaches {target}; it goes through {seen}")


def press_on(page, target, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def type_in(page, label: str, text: str) -> None:
    tab_to(page, page.get_by_label(re.compile(label)))
    page.keyboard.type(text)


def test_a_keyboard_user_fills_the_basket_and_pays_without_a_mouse(live_server, open_page):
    shop = christmas_market()
    page = open_page(PHONE)
    button, link, radio = (partial(page.get_by_role, role) for role in ("button", "link", "radio"))
    see_basket = link(name="Voir mon panier")  # the status, or a card already in the basket
    next_step = button(name="Continuer")
    page.goto(live_server.url + shop.market.url)

    press_on(page, button(name=f"Ajouter au panier – {shop.teapot}"))
    expect(see_basket.first).to_be_visible()
    page.reload()  # Tab from the top again, whatever the order of the listing
    press_on(page, button(name=f"Ajouter au panier – {shop.jam}"))
    expect(see_basket.first).to_be_visible()
    press_on(page, see_basket)
    expect(page.get_by_role("heading", level=1, name="Votre panier")).to_be_visible()
    press_on(page, link(name="Passer commande"))

    expect(page.get_by_role("heading", name="Coordonnées", exact=True)).to_be_visible()
    type_in(page, "^E-mail", "tom@example.org")
    type_in(page, "^Prénom", "Tom")
    type_in(page, "^Nom", "Martin")
    press_on(page, next_step)

    expect(page.get_by_role("heading", name="Retrait ou livraison")).to_be_visible()
    slot = radio(name=re.compile("^10:00")).first
    press_on(page, slot, key="Space")
    expect(slot).to_be_checked()
    press_on(page, next_step)

    expect(page.get_by_role("heading", name="Projet solidaire", exact=True)).to_be_visible()
    press_on(page, radio(name=re.compile(shop.project_title)), key="Space")
    press_on(page, next_step)
    expect(page.get_by_role("heading", name="Don", exact=True)).to_be_visible()
    press_on(page, next_step)

    expect(page.get_by_role("heading", name="Vérifiez votre commande")).to_be_visible()
    terms = page.get_by_role("checkbox", name=re.compile("accepte les conditions"))
    press_on(page, terms, key="Space")
    expect(terms).to_be_checked()
    press_on(page, button(name=re.compile("^Passer au paiement")))

    expect(page.get_by_role("heading", level=1, name="Paiement")).to_be_visible()
    type_in(page, "^Numéro de carte", "4242 4242 4242 4242")
    type_in(page, "^Date d'expiration", "12/30")
    type_in(page, "^Cryptogramme", "123")
    press_on(page, button(name=re.compile("^Payer")))
    expect(page.get_by_role("heading", level=1, name="Paiement")).to_have_count(0)

    assert Checkout.objects.get(email="tom@example.org").state == Checkout.State.PAID

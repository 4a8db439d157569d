"""On a phone the products come first: the intro is shortened and the filters folded
behind « Filtrer »; on a desktop everything is unfolded, JavaScript or not."""

import pytest

from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import (
    ImageFactory,
    MarketPageFactory,
    ProductImageFactory,
    VendorFactory,
    make_image_file,
    product_in_market,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

INTRO = (
    "<p>Cadeaux de seconde main, créations upcyclées, épicerie solidaire et électronique "
    "reconditionnée : le marché de Noël des structures de l'ESS nantaise, en ligne et sur "
    "deux points de retrait.</p>"
    "<p>Chaque achat soutient un projet solidaire du territoire : hébergement d'urgence, "
    "jardins partagés, vélos pour l'insertion. Vous choisissez le projet au moment de payer.</p>"
    "<p>Retrait sur place du mercredi au dimanche, ou livraison pour les structures qui "
    "expédient.</p>"
)


def demo_like_market():
    market = MarketPageFactory(
        title="Marché de Noël solidaire de l'île de Nantes", intro=INTRO,
        banner=ImageFactory(file=make_image_file(1600, 900)), accent_color="#8a1c1c")
    for number in range(8):
        vendor = VendorFactory(name=f"Ressourcerie solidaire numéro {number}")
        product = product_in_market(market, vendor=vendor, title=f"Théière en fonte {number}",
                                    slug=f"theiere-{number}")
        ProductImageFactory(product=product)
    return market


def overflows(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone_the_first_product_shows_in_the_first_screen(live_server, open_page,
                                                                 javascript):
    market = demo_like_market()
    page = open_page(PHONE, javascript=javascript)

    page.goto(live_server.url + market.url)

    assert page.locator(".market-banner").is_visible()
    first_card = page.locator(".product-card").first.bounding_box()
    assert first_card["y"] < PHONE["height"]
    assert not overflows(page)
    assert not page.get_by_label("Rechercher").is_visible()
    assert not page.get_by_text("jardins partagés").is_visible()


def test_on_a_phone_filtrer_unfolds_the_filters_and_en_savoir_plus_the_intro(live_server,
                                                                          open_page):
    market = demo_like_market()
    page = open_page(PHONE)
    page.goto(live_server.url + market.url)

    page.get_by_text("Filtrer", exact=True).click()
    page.get_by_text("En savoir plus", exact=True).click()

    assert page.get_by_label("Rechercher").is_visible()
    assert page.get_by_text("jardins partagés").is_visible()
    assert not overflows(page)


def test_a_search_comes_back_with_its_filters_unfolded(live_server, open_page):
    market = demo_like_market()
    page = open_page(PHONE, javascript=False)

    page.goto(live_server.url + market.url + "?q=theiere")

    assert page.get_by_label("Rechercher").is_visible()


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_desktop_filters_and_intro_are_unfolded(live_server, open_page, javascript):
    market = demo_like_market()
    page = open_page(DESKTOP, javascript=javascript)

    page.goto(live_server.url + market.url)

    assert page.get_by_label("Rechercher").is_visible()
    assert page.get_by_text("jardins partagés").is_visible()
    assert not page.get_by_text("Filtrer", exact=True).is_visible()
    page.get_by_label("Rechercher").focus()
    assert page.evaluate("document.activeElement.name") == "q"

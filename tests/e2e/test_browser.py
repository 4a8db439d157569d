"""A shopper in a real browser (Debian's Chromium driven by Playwright, see `conftest`):
search, basket updated in place, keyboard use."""

import pytest

from tests.factories import MarketPageFactory, product_in_market

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def page(open_page):
    return open_page()


def test_a_shopper_searches_without_accents_and_fills_the_basket_in_place(live_server, page):
    market = MarketPageFactory()
    product_in_market(market, title="Vélo de ville", slug="velo", stock=1)
    product_in_market(market, title="Théière en fonte", slug="theiere", stock=1)

    page.goto(live_server.url + market.url)
    page.get_by_label("Rechercher").fill("velo")
    page.get_by_role("button", name="Afficher les produits").click()

    assert page.get_by_role("heading", name="Vélo de ville").is_visible()
    assert page.get_by_role("heading", name="Théière en fonte").count() == 0
    url_before = page.url
    page.get_by_role("button", name="Ajouter au panier").first.click()
    page.get_by_role("link", name="Panier").filter(has_text="1").wait_for()
    assert page.url == url_before  # updated in place, no reload
    assert page.external_requests == []


def test_the_skip_link_takes_keyboard_users_to_the_content(live_server, page):
    market = MarketPageFactory()

    page.goto(live_server.url + market.url)
    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

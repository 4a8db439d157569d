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
    page.get_by_text("Filtrer", exact=True).click()
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


def shopper_at_the_payment_step(live_server, page):
    """A basket held for its payment, in the browser's own session; its payment page."""
    from django.contrib.sessions.backends.db import SessionStore

    from tests.factories import reserved_checkout

    market = MarketPageFactory()
    vase = product_in_market(market, title="Vase soliflore", stock=1)
    session = SessionStore()
    session.create()
    checkout = reserved_checkout(market, [(vase, 1)], session_key=session.session_key)
    page.context.add_cookies([{"name": "sessionid", "value": session.session_key,
                               "url": live_server.url}])
    return f"{live_server.url}/paiement/{checkout.reference}/"


def test_the_payment_page_counts_the_reserved_minutes_down(live_server, page):
    pay_url = shopper_at_the_payment_step(live_server, page)

    page.goto(pay_url)

    left = page.locator("[data-reservation-left]")
    left.filter(has_text="minutes").wait_for()
    assert left.text_content().strip() in ("Plus que 15 minutes.", "Plus que 14 minutes.")
    assert page.locator("[aria-live=polite]").count() == 1
    assert page.external_requests == []


def test_a_declined_card_can_be_tried_again_and_the_refusal_reloaded(live_server, page):
    pay_url = shopper_at_the_payment_step(live_server, page)
    page.goto(pay_url)

    page.fill("input[name=card_number]", "4000 0000 0000 0002")
    page.fill("input[name=expiry]", "12/39")
    page.fill("input[name=security_code]", "123")
    page.get_by_role("button", name="Payer").click()
    page.wait_for_url(pay_url + "merci/")
    page.reload()  # a GET: nothing is posted again

    assert page.get_by_role("heading", name="Paiement refusé").is_visible()
    page.get_by_role("button", name="Réessayer le paiement").click()
    page.wait_for_url(pay_url)
    assert page.locator("input[name=card_number]").is_visible()

"""The load test's visitor (bench/opening_hour.py) through Django's test client, CSRF
checks on: the pages it reads and the forms it fills are the site's, so a change to a step
that would break the load test breaks this test first."""

import importlib.util
import random
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from shop.models import Checkout
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    product_in_market,
)

pytestmark = pytest.mark.django_db

SCENARIO = Path(__file__).resolve().parents[1] / "bench" / "opening_hour.py"
spec = importlib.util.spec_from_file_location("opening_hour", SCENARIO)
opening_hour = importlib.util.module_from_spec(spec)
spec.loader.exec_module(opening_hour)


class DjangoClient:
    """`opening_hour.Client` over Django's test client; a failed check fails the test."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)
        self.names: list[str] = []

    def request(self, method, path, *, name, data=None, headers=None, check=None):
        if method == "GET":
            response = self.client.get(path, follow=True)
        else:
            response = self.client.post(path, data, follow=True, headers=headers)
        url = response.redirect_chain[-1][0] if response.redirect_chain else path
        page = opening_hour.Page(response.status_code, url, response.content.decode())
        assert response.status_code < 400, f"{name}: HTTP {response.status_code} at {url}"
        problem = check(page) if check else None
        assert problem is None, f"{name}: {problem}"
        self.names.append(name)
        return page


@pytest.fixture
def market():
    market = MarketPageFactory()
    PickupPointFactory(market=market, name="Halle de la Madeleine")
    market.solidarity_projects.add(SolidarityProjectPageFactory(title="Vélos solidaires"))
    market.save_revision().publish()
    vendor = VendorFactory(name="Ressourcerie de l'Île", slug="ressourcerie-ile")
    for number in range(6):
        product_in_market(market, vendor=vendor, title=f"Vélo vintage {number}",
                          slug=f"velo-{number}", price_cents=4500, stock=2,
                          solidarity_bps=1000)
    return market


def test_a_visitor_of_the_opening_hour_browses_and_pays(market):
    # Given the open market on the home page, with products, a pick-up point and a project
    client = DjangoClient()
    visitor = opening_hour.Visitor(client, market_path=urlsplit(market.url).path,
                                   rng=random.Random(14), number=1)

    # When the load test's visitor comes, searches, reads products and buys
    bought = visitor.visit(buys=True)

    # Then every step answered as a shopper expects and the checkout is paid
    assert bought
    assert client.names[:4] == ["home", "catalogue", "catalogue page 2-20", "search"]
    assert {"basket add", "checkout contact", "checkout fulfilment", "checkout project",
            "checkout review", "pay"} <= set(client.names)
    checkout = Checkout.objects.get(email__startswith="ouverture-1-")
    assert checkout.state == Checkout.State.PAID


def test_forms_are_filled_as_a_browser_posts_them():
    html = """
      <form class="lang" method="post" action="/i18n/setlang/"><input name="language"></form>
      <form method="post" class="checkout-form">
        <input type="hidden" name="csrfmiddlewaretoken" value="jeton">
        <input type="radio" name="pickup" value="3-7"><input type="radio" name="pickup" value="3-8">
        <input type="radio" name="method_5" value="pickup" checked>
        <input type="radio" name="method_5" value="shipping">
        <select name="slot">
          <option value="a">A</option><option value="b" selected>B</option>
        </select>
        <input type="checkbox" name="terms" value="on">
        <input type="checkbox" name="newsletter" value="on">
        <input type="email" name="email" value="">
        <button type="submit" name="go">Continuer</button>
      </form>"""
    page = opening_hour.Page(200, "https://marche.example.org/commande/", html)

    form = opening_hour.form_with_class(page, "checkout-form")

    assert form.filled({"email": "lea@example.org", "terms": "on", "unknown": "x"}) == {
        "csrfmiddlewaretoken": "jeton", "pickup": "3-7", "method_5": "pickup",
        "slot": "b", "terms": "on", "email": "lea@example.org"}

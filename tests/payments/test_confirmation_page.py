"""The confirmation page (« merci ») after a paid basket: what each vendor order holds and
costs, where the solidarity shares and the donation go and what was charged, as booked."""

import re

import pytest
from django.test import Client

from shop.checkout.services import checkout_reserve
from shop.models import CheckoutFulfilment, LedgerEntry, Product
from tests.factories import (
    MarketPageFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    product_in_market,
    reserved_checkout,
)

from .conftest import card

pytestmark = pytest.mark.django_db

EUR = "\u00a0€"


def text_of(html: str) -> str:
    """The page's text, tags dropped and white space collapsed."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def pay(client: Client, checkout) -> str:
    """Pay `checkout` with the accepted demo card; the confirmation page's text."""
    pay_url = f"/paiement/{checkout.reference}/"
    client.get(pay_url)
    response = client.post(pay_url, card(), follow=True)
    assert response.redirect_chain == [(f"/paiement/{checkout.reference}/merci/", 302)]
    return text_of(response.content.decode())


@pytest.fixture
def paid(client):
    """A basket of two vendors paid: shares to two projects, shipping, a donation."""
    market = MarketPageFactory(commission_bps=500, shipping_allowed=True)
    repair = SolidarityProjectPageFactory(title="Repair Café du quartier")
    grocery = SolidarityProjectPageFactory(title="Épicerie solidaire")
    market.solidarity_projects.add(repair, grocery)
    market.save()
    bowl = product_in_market(market, title="Bol en grès", price_cents=1850, stock=3,
                             solidarity_bps=1000)
    shipper = VendorFactory(name="Ressourcerie des Bords", ships=True, shipping_fee_cents=690)
    lamp = product_in_market(market, title="Lampe restaurée", price_cents=4500, stock=1,
                             vendor=shipper, solidarity_bps=500, solidarity_project=grocery)
    checkout = reserved_checkout(
        market, [(bowl, 2), (lamp, 1)], session_key=client.session.session_key,
        reserve=False, chosen_project=repair, donation_cents=500,
    )
    CheckoutFulfilment.objects.filter(checkout=checkout, vendor=shipper).update(
        method=CheckoutFulfilment.Method.SHIPPING, pickup_point=None, shipping_name="Léa Durand",
        shipping_address="3 rue des Lilas", shipping_postcode="44100", shipping_city="Nantes",
    )
    assert checkout_reserve(checkout=checkout).ok
    checkout.refresh_from_db()
    page = pay(client, checkout)
    return {"page": page, "checkout": checkout, "client": client, "bowl": bowl, "lamp": lamp}


def test_each_vendor_order_shows_its_lines_shipping_and_total(paid):
    page = paid["page"]
    checkout = paid["checkout"]

    assert f"Commande {checkout.reference}-1" in page
    assert f"Commande {checkout.reference}-2" in page
    assert f"Bol en grès 2 18,50{EUR} 37,00{EUR}" in page
    assert f"Lampe restaurée 1 45,00{EUR} 45,00{EUR}" in page
    assert f"Livraison 6,90{EUR}" in page
    assert f"Total de la commande 51,90{EUR}" in page  # 45,00 + 6,90
    assert f"Total de la commande 37,00{EUR}" in page


def test_the_solidarity_shares_the_donation_and_the_total_charged_are_shown(paid):
    page = paid["page"]

    # 10 % of 37,00 to the project the shopper chose, 5 % of 45,00 to the lamp's own.
    assert f"Part solidaire : 3,70{EUR} pour Repair Café du quartier" in page
    assert f"Part solidaire : 2,25{EUR} pour Épicerie solidaire" in page
    assert f"Votre don 5,00{EUR} pour Repair Café du quartier" in page
    assert f"Total débité 93,90{EUR}" in page  # 37,00 + 45,00 + 6,90 + 5,00


def test_the_page_shows_what_was_charged_not_todays_prices(paid):
    Product.objects.filter(pk=paid["bowl"].pk).update(price_cents=9900, title="Bol renommé",
                                                     solidarity_bps=0)

    page = text_of(paid["client"].get(f"/paiement/{paid['checkout'].reference}/merci/")
                   .content.decode())

    assert f"Bol en grès 2 18,50{EUR} 37,00{EUR}" in page
    assert f"Part solidaire : 3,70{EUR} pour Repair Café du quartier" in page
    assert "Bol renommé" not in page and "99,00" not in page


def test_a_payment_fee_booked_for_the_checkout_is_shown(paid):
    LedgerEntry.objects.create(checkout=paid["checkout"], kind=LedgerEntry.Kind.PAYMENT_FEES,
                               amount_cents=35)

    page = text_of(paid["client"].get(f"/paiement/{paid['checkout'].reference}/merci/")
                   .content.decode())

    assert f"Frais de paiement 0,35{EUR}" in page


def test_without_a_fee_no_fee_line_is_shown(paid):
    assert "Frais de paiement" not in paid["page"]


def confirmation_queries(django_assert_max_num_queries, vendors: int) -> int:
    client = Client()
    market = MarketPageFactory()
    project = SolidarityProjectPageFactory()
    market.solidarity_projects.add(project)
    market.save()
    products = [(product_in_market(market, stock=5, solidarity_bps=500), 2)
                for _ in range(vendors)]
    checkout = reserved_checkout(market, products, session_key=client.session.session_key,
                                 chosen_project=project, donation_cents=300)
    pay(client, checkout)
    url = f"/paiement/{checkout.reference}/merci/"
    client.get(url)
    # The checkout, the session, its last payment, the orders with their sellers and
    # pick-up points, their lines, the ledger summed by order, kind and project, the
    # refunds of units gone, and the basket count in the header: whatever the basket holds.
    with django_assert_max_num_queries(8) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_confirmation_page_costs_as_many_queries_for_1_or_3_vendors(
    django_assert_max_num_queries
):
    one = confirmation_queries(django_assert_max_num_queries, 1)
    three = confirmation_queries(django_assert_max_num_queries, 3)

    assert one == three

"""The receipt of a vendor order: what the shopper paid that seller, from the frozen order,
with the seller's legal identity and its VAT situation, reached through a signed address."""

import re
from html import unescape

import pytest
from django.core import mail, signing
from django.urls import reverse

from shop.models import Product
from shop.orders.completion import checkout_complete
from shop.orders.services import order_lines_cancel
from shop.orders.vendor_receipt import receipt_url
from tests.factories import (
    MarketPageFactory,
    ProductFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    paid_checkout,
    product_in_market,
    reserved_checkout,
)
from vendors.validators import french_vat_number

pytestmark = pytest.mark.django_db

# Ceiling measured: the order with its seller, checkout and market; its lines with their
# projects; the market's organiser.
RECEIPT_MAX_QUERIES = 3


def text_of(response) -> str:
    """The page's words, without its tags."""
    words = re.sub(r"<[^>]*>", " ", response.content.decode())
    return re.sub(r"[ \t\n]+", " ", unescape(words))


@pytest.fixture
def project():
    return SolidarityProjectPageFactory(title="Jardin partagé", beneficiary="Les Amis du jardin")


@pytest.fixture
def seller():
    return VendorFactory(name="Ressourcerie de l'Île", address="18 boulevard de la Prairie",
                         postcode="44200", city="Nantes", siret="68812634031907",
                         rna="W442004187", ships=True, shipping_fee_cents=500)


@pytest.fixture
def order(seller, project):
    teapot = ProductFactory(vendor=seller, title="Théière", price_cents=2000, stock=3,
                            solidarity_bps=1000, solidarity_project=project)
    lamp = ProductFactory(vendor=seller, title="Lampe", price_cents=1500)
    checkout = paid_checkout([(teapot, 2), (lamp, 1)], shipping_vendors=[seller],
                             first_name="Léa", last_name="Durand")
    return checkout.orders.get()


def test_the_receipt_shows_the_sale_the_seller_the_buyer_and_the_solidarity_share(
    client, order
):
    response = client.get(receipt_url(order))

    assert response.status_code == 200
    html = text_of(response)
    assert f"Reçu n° {order.number}" in html
    assert "Payé le" in html
    assert "Ressourcerie de l'Île" in html and "Association" in html
    assert "18 boulevard de la Prairie" in html and "44200 Nantes" in html
    assert "SIRET : 68812634031907" in html and "RNA : W442004187" in html
    assert "Léa Durand" in html
    assert "Théière" in html and "20,00\u00a0€" in html and "40,00\u00a0€" in html
    assert "Livraison" in html and "5,00\u00a0€" in html
    assert "Total payé à Ressourcerie de l'Île" in html and "60,00\u00a0€" in html
    assert "dont 4,00\u00a0€ reversés à Jardin partagé (Les Amis du jardin)" in html
    assert order.checkout.market.title in html
    assert order.checkout.market.organiser.name in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_commission_stays_off_the_receipt(client, order):
    html = text_of(client.get(receipt_url(order)))

    assert order.commission_cents
    assert "ommission" not in html
    assert f"{order.commission_cents / 100:.2f}".replace(".", ",") not in html


def test_a_seller_not_subject_to_vat_says_so(client, order):
    html = text_of(client.get(receipt_url(order)))

    assert "TVA non applicable, art. 293 B du CGI" in html
    assert "dont TVA" not in html


def test_a_seller_subject_to_vat_shows_its_number_and_the_vat_included(client, seller):
    seller.vat_liable, seller.vat_number = True, french_vat_number(seller.siret[:9])
    seller.save()
    bowl = ProductFactory(vendor=seller, title="Bol", price_cents=2000)

    order = paid_checkout([(bowl, 1)]).orders.get()
    html = text_of(client.get(receipt_url(order)))

    assert f"Numéro de TVA : {seller.vat_number}" in html
    assert "dont TVA 20\u00a0% : 3,33\u00a0€" in html
    assert "293 B" not in html


def test_the_vat_is_rounded_line_by_line(client, seller):
    seller.vat_liable, seller.vat_number = True, french_vat_number(seller.siret[:9])
    seller.vat_rate_bps = 550
    seller.save()
    book = ProductFactory(vendor=seller, title="Livre", price_cents=999, stock=5)
    card = ProductFactory(vendor=seller, title="Carte", price_cents=105)

    # 3 × 9,99 € holds 1,5623 € of VAT at 5,5 % (1,56 €), 1,05 € holds 0,0547 € (0,05 €):
    # 1,61 €, where the VAT of the total (31,02 €) would be 1,62 €.
    order = paid_checkout([(book, 3), (card, 1)]).orders.get()
    html = text_of(client.get(receipt_url(order)))

    assert "dont TVA 5,5\u00a0% : 1,61\u00a0€" in html


def test_the_receipt_keeps_the_vat_situation_and_prices_of_the_sale(client, seller, order):
    seller.vat_liable, seller.vat_number = True, french_vat_number(seller.siret[:9])
    seller.save()
    Product.objects.filter(vendor=seller).update(price_cents=9900)

    html = text_of(client.get(receipt_url(order)))

    assert "TVA non applicable, art. 293 B du CGI" in html
    assert "60,00\u00a0€" in html and "99,00" not in html


def test_cancelled_units_and_refunds_show_as_such(client, order):
    teapot_line = order.lines.get(title="Théière")
    order_lines_cancel(order=order, quantities={teapot_line.pk: 1})

    html = text_of(client.get(receipt_url(order)))

    assert "dont 1 annulé et remboursé" in html
    assert "Total payé à Ressourcerie de l'Île 60,00\u00a0€" in html
    assert "Remboursé à l'acheteur − 20,00\u00a0€" in html
    assert "Total après remboursements 40,00\u00a0€" in html
    assert "dont 2,00\u00a0€ reversés à Jardin partagé" in html


def test_an_order_cancelled_in_full_still_shows_the_shipping_it_paid(client, order):
    order_lines_cancel(order=order, quantities={line.pk: line.quantity
                                                for line in order.lines.all()})

    html = text_of(client.get(receipt_url(order)))

    assert "Livraison 5,00\u00a0€" in html
    assert "Remboursé à l'acheteur − 60,00\u00a0€" in html
    assert "reversés" not in html


def test_an_order_whose_units_were_gone_at_payment_has_no_receipt(client):
    market = MarketPageFactory()
    vase = product_in_market(market, title="Vase", stock=1)
    checkout = reserved_checkout(market, [(vase, 1)], session_key="receipt-gone")
    Product.objects.filter(pk=vase.pk).update(stock=0)
    checkout_complete(checkout=checkout)
    order = checkout.orders.get()

    assert order.state == order.State.REFUNDED
    assert client.get(receipt_url(order)).status_code == 404


def test_the_receipt_downloads_as_a_file_to_keep(client, order):
    response = client.get(receipt_url(order, download=True))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="recu-{order.number}.html"'
    html = response.content.decode()
    assert "<script" not in html
    assert "Théière" in html


def test_the_receipt_page_offers_print_and_download(client, order):
    html = client.get(receipt_url(order)).content.decode()

    assert "data-print" in html
    assert f'href="{receipt_url(order, download=True)}"' in html


@pytest.mark.parametrize("token", ["nimportequoi", "MQ:faux", "Mg:abc:def"])
def test_a_bad_token_is_a_404(client, order, token):
    assert client.get(reverse("shop_orders:receipt", args=[token])).status_code == 404
    assert client.get(reverse("shop_orders:receipt_download", args=[token])).status_code == 404


def test_the_order_number_or_another_signature_opens_nothing(client, order):
    forged = signing.Signer(salt="shop.order-page").sign_object(order.pk)

    assert client.get(reverse("shop_orders:receipt", args=[order.number])).status_code == 404
    assert client.get(reverse("shop_orders:receipt", args=[forged])).status_code == 404


def test_the_receipt_page_costs_a_fixed_number_of_queries(
    client, order, django_assert_max_num_queries
):
    with django_assert_max_num_queries(RECEIPT_MAX_QUERIES):
        response = client.get(receipt_url(order))

    assert response.status_code == 200


def test_the_order_page_and_the_confirmation_link_each_receipt(client, order, seller):
    from shop.orders.emails import checkout_emails_send
    from shop.orders.selectors import order_page_url

    html = client.get(order_page_url(order.checkout, absolute=False)).content.decode()
    checkout_emails_send(checkout_id=order.checkout_id)

    assert receipt_url(order) in html
    confirmation = next(message for message in mail.outbox if order.checkout.email in message.to)
    assert receipt_url(order, absolute=True) in confirmation.body
    assert receipt_url(order, absolute=True) in confirmation.alternatives[0][0]


def test_the_seller_opens_the_receipt_from_its_order_and_no_other_seller_can(
    client, vendor_a, vendor_b
):
    order = paid_checkout([(vendor_a.product, 1)]).orders.get()
    client.force_login(vendor_a.user)

    inspect = client.get(reverse("shop_order_admin:inspect", args=[order.pk])).content.decode()
    receipt = client.get(reverse("shop_order_admin:receipt", args=[order.pk]))
    download = client.get(reverse("shop_order_admin:receipt_download", args=[order.pk]))
    client.force_login(vendor_b.user)
    other = client.get(reverse("shop_order_admin:receipt", args=[order.pk]))
    other_download = client.get(reverse("shop_order_admin:receipt_download", args=[order.pk]))

    assert reverse("shop_order_admin:receipt", args=[order.pk]) in inspect
    assert receipt.status_code == 200 and order.number in receipt.content.decode()
    assert reverse("shop_order_admin:inspect", args=[order.pk]) in receipt.content.decode()
    assert download["Content-Disposition"].startswith("attachment")
    assert other.status_code == 404 and other_download.status_code == 404

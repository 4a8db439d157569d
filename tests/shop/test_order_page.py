"""The shopper's order page, reached through the signed link of the confirmation."""

import pytest
from django.urls import reverse

from shop.models import Checkout
from shop.orders.selectors import order_link_token
from shop.orders.services import order_lines_cancel, order_mark_fulfilled, order_mark_ready
from tests.factories import (
    ProductFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    paid_checkout,
)

pytestmark = pytest.mark.django_db


def page_url(checkout) -> str:
    return reverse("shop_orders:order_page", args=[order_link_token(checkout)])


@pytest.fixture
def checkout():
    project = SolidarityProjectPageFactory(title="Jardin partagé")
    shipper = VendorFactory(name="Atelier Vélo", ships=True, shipping_fee_cents=500)
    teapot = ProductFactory(title="Théière", price_cents=2000, stock=3, solidarity_bps=2000,
                            solidarity_project=project)
    bell = ProductFactory(vendor=shipper, title="Sonnette", price_cents=800)
    return paid_checkout([(teapot, 2), (bell, 1)], shipping_vendors=[shipper])


def test_the_page_shows_the_reference_orders_items_and_projects(client, checkout):
    response = client.get(page_url(checkout))

    assert response.status_code == 200
    html = response.content.decode()
    assert checkout.reference in html
    for order in checkout.orders.all():
        assert order.number in html
        assert order.vendor.name in html
    assert "Théière" in html and "Sonnette" in html
    assert "Halle du marché" in html
    assert "3 rue des Lilas" in html
    assert "Jardin partagé" in html
    assert "8,00\u00a0€" in html  # 20 % of 2 × 20,00 €
    assert response["Cache-Control"] == "private, no-store"


def test_each_order_shows_its_status_in_words(client, checkout):
    pickup = checkout.orders.get(fulfilment_method="pickup")
    shipped = checkout.orders.get(fulfilment_method="shipping")
    order_mark_ready(order=pickup)
    order_mark_fulfilled(order=shipped, tracking_number="6A0042")

    html = client.get(page_url(checkout)).content.decode()

    assert "Prête à être retirée" in html
    assert "Expédiée" in html
    assert "6A0042" in html


def test_a_refund_shows_on_the_page(client, checkout):
    pickup = checkout.orders.get(fulfilment_method="pickup")
    order_lines_cancel(order=pickup, quantities={pickup.lines.get().pk: 1})

    html = client.get(page_url(checkout)).content.decode()

    assert "Partiellement remboursée" in html
    assert "20,00\u00a0€" in html


def test_a_freshly_paid_order_is_to_prepare(client, checkout):
    html = client.get(page_url(checkout)).content.decode()

    assert "À préparer" in html


@pytest.mark.parametrize("token", ["nimportequoi", "MQ:faux", "MQ", "Mg:abc:def"])
def test_a_bad_token_is_a_404(client, checkout, token):
    response = client.get(reverse("shop_orders:order_page", args=[token]))

    assert response.status_code == 404


def test_a_token_signed_for_something_else_is_a_404(client, checkout):
    from django.core import signing

    forged = signing.Signer(salt="another.salt").sign_object(checkout.pk)

    assert client.get(reverse("shop_orders:order_page", args=[forged])).status_code == 404


def test_the_link_of_an_unpaid_checkout_is_a_404(client, checkout):
    Checkout.objects.filter(pk=checkout.pk).update(state=Checkout.State.RESERVED)

    assert client.get(page_url(checkout)).status_code == 404

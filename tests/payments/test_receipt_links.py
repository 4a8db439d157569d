"""The thanks page links the receipt of every vendor order the shopper keeps."""

import pytest

from shop.models import Order
from shop.orders.vendor_receipt import receipt_url
from tests.payments.conftest import card

pytestmark = pytest.mark.django_db


def test_the_thanks_page_links_the_receipt_of_each_order(shop):
    shop.client.get(shop.pay_url)
    shop.client.post(shop.pay_url, card())

    page = shop.client.get(shop.return_url).content.decode()

    orders = Order.objects.filter(checkout=shop.checkout).select_related("vendor")
    assert len(orders) == 2
    for order in orders:
        assert receipt_url(order) in page
        assert shop.client.get(receipt_url(order)).status_code == 200

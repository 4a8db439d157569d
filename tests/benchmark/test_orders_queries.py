"""« Mes commandes » (the vendors' and the shoppers') and the shopper's order page keep a
constant number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from shop.orders.selectors import order_link_token
from shop.shoppers.session import ACCESS_SESSION_KEY
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    ProductFactory,
    SolidarityProjectPageFactory,
    paid_checkout,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def point():
    return PickupPointFactory(market=MarketPageFactory())


def sell(vendor, point, number):
    product = ProductFactory(vendor=vendor, title=f"Objet {number}", slug=f"objet-{number}",
                             stock=2)
    return paid_checkout([(product, 2)], market=point.market, pickup_point=point)


def test_the_vendor_order_list_does_not_grow_with_the_orders(
    client, vendor_a, point, django_assert_max_num_queries
):
    client.force_login(vendor_a.user)
    url = reverse("shop_order_admin:index")
    sell(vendor_a.vendor, point, 0)
    one = count_queries(client, url)
    for number in range(1, 10):
        sell(vendor_a.vendor, point, number)

    ten = count_queries(client, url)

    assert ten <= one
    with django_assert_max_num_queries(one):
        client.get(url)


def test_the_pickup_list_does_not_grow_with_the_orders(client, vendor_a, point):
    client.force_login(vendor_a.user)
    url = reverse("shop_order_admin:pickup_list")
    sell(vendor_a.vendor, point, 0)
    one = count_queries(client, url, pickup_point=point.pk)
    for number in range(1, 10):
        sell(vendor_a.vendor, point, number)

    assert count_queries(client, url, pickup_point=point.pk) <= one


def test_the_order_inspect_page_does_not_grow_with_the_lines(client, vendor_a, point):
    client.force_login(vendor_a.user)
    products = [ProductFactory(vendor=vendor_a.vendor, slug=f"p-{n}") for n in range(5)]
    small = paid_checkout([(products[0], 1)], market=point.market, pickup_point=point)
    large = paid_checkout([(product, 1) for product in products[1:]], market=point.market,
                          pickup_point=point)

    one = count_queries(client, reverse("shop_order_admin:inspect",
                                        args=[small.orders.get().pk]))
    four = count_queries(client, reverse("shop_order_admin:inspect",
                                         args=[large.orders.get().pk]))

    assert four <= one


def test_the_order_page_does_not_grow_with_the_vendors(client, point,
                                                      django_assert_max_num_queries):
    project = SolidarityProjectPageFactory()

    def checkout_with(vendors):
        products = [ProductFactory(price_cents=1500, solidarity_bps=1000,
                                   solidarity_project=project) for _ in range(vendors)]
        return paid_checkout([(product, 1) for product in products], market=point.market,
                             pickup_point=point, donation_cents=100, chosen_project=project)

    one_url = reverse("shop_orders:order_page", args=[order_link_token(checkout_with(1))])
    five_url = reverse("shop_orders:order_page", args=[order_link_token(checkout_with(5))])

    one = count_queries(client, one_url)
    five = count_queries(client, five_url)

    assert five <= one
    with django_assert_max_num_queries(one):
        client.get(five_url)


def test_the_shoppers_order_list_does_not_grow_with_the_orders(client, point,
                                                               django_assert_max_num_queries):
    """« Mes commandes »: the session, the checkouts, their orders with vendor, point and
    slot; markets are joined."""
    email = "lea.durand@example.org"
    paid_checkout([(ProductFactory(), 1)], market=point.market, pickup_point=point, email=email)
    session = client.session
    session[ACCESS_SESSION_KEY] = {"email": email, "since": timezone.now().timestamp()}
    session.save()
    url = reverse("shoppers:orders")
    one = count_queries(client, url)
    other_market = PickupPointFactory(market=MarketPageFactory())
    for number in range(9):
        where = point if number % 2 else other_market
        products = [ProductFactory(slug=f"objet-{number}-{n}") for n in range(2)]
        paid_checkout([(product, 1) for product in products], market=where.market,
                      pickup_point=where, email=email)

    ten = count_queries(client, url)

    assert ten <= one <= 5
    with django_assert_max_num_queries(one):
        response = client.get(url)
    assert response.content.decode().count("/commande/suivi/") == 10

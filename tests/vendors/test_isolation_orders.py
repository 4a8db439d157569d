"""Vendor B never reads nor moves vendor A's orders, whatever the « Mes commandes » URL."""

import pytest
from django.urls import reverse

from shop.models import Order
from tests.factories import MarketPageFactory, PickupPointFactory, paid_order

pytestmark = pytest.mark.django_db

NS = "shop_order_admin"


@pytest.fixture
def point():
    return PickupPointFactory(market=MarketPageFactory(), name="Halle commune")


@pytest.fixture
def order_a(vendor_a, point):
    return paid_order(vendor_a.product, market=point.market, pickup_point=point,
                      last_name="Acheteuse-de-A")


@pytest.fixture
def order_b(vendor_b, point):
    return paid_order(vendor_b.product, market=point.market, pickup_point=point,
                      last_name="Acheteur-de-B")


OBJECT_URLS = ["inspect", "mark_ready", "mark_fulfilled", "receipt", "receipt_download"]


@pytest.mark.parametrize("view", OBJECT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_object_url_answers_404_for_another_vendors_order(
    client, vendor_b, order_a, view, method
):
    client.force_login(vendor_b.user)

    response = getattr(client, method)(reverse(f"{NS}:{view}", args=[order_a.pk]))

    assert response.status_code == 404
    order_a.refresh_from_db()
    assert order_a.state == Order.State.PAID


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage", "copy", "add"])
def test_there_is_no_url_to_edit_or_delete_an_order(view):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse(f"{NS}:{view}", args=[1])


def test_the_owner_inspects_and_moves_its_order(client, vendor_a, order_a):
    client.force_login(vendor_a.user)

    inspect = client.get(reverse(f"{NS}:inspect", args=[order_a.pk]))
    ready = client.post(reverse(f"{NS}:mark_ready", args=[order_a.pk]))
    handed = client.post(reverse(f"{NS}:mark_fulfilled", args=[order_a.pk]))

    assert inspect.status_code == 200
    assert "Produit secret a" in inspect.content.decode()
    assert (ready.status_code, handed.status_code) == (302, 302)
    order_a.refresh_from_db()
    assert order_a.state == Order.State.FULFILLED


def test_an_invalid_action_is_a_message_not_an_error(client, vendor_a, order_a):
    client.force_login(vendor_a.user)
    client.post(reverse(f"{NS}:mark_fulfilled", args=[order_a.pk]))

    response = client.post(reverse(f"{NS}:mark_ready", args=[order_a.pk]), follow=True)

    assert response.status_code == 200
    assert order_a.number in response.content.decode()


def test_the_list_shows_only_the_vendors_own_orders(client, vendor_b, order_a, order_b):
    client.force_login(vendor_b.user)

    html = client.get(reverse(f"{NS}:index")).content.decode()

    assert order_b.number in html
    assert "Acheteur-de-B" in html
    assert order_a.number not in html
    assert "Acheteuse-de-A" not in html


def test_filters_do_not_reach_other_vendors(client, vendor_b, order_a, order_b, point):
    client.force_login(vendor_b.user)

    html = client.get(
        reverse(f"{NS}:index"), {"state": "paid", "pickup_point": point.pk, "q": "MS-"}
    ).content.decode()

    assert order_b.number in html
    assert order_a.number not in html


def test_the_pickup_list_holds_only_the_vendors_own_orders(
    client, vendor_b, order_a, order_b, point
):
    client.force_login(vendor_b.user)

    response = client.get(reverse(f"{NS}:pickup_list"), {"pickup_point": point.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Acheteur-de-B" in html and "Produit secret b" in html
    assert "Acheteuse-de-A" not in html and "Produit secret a" not in html
    assert "@media print" in html


def test_the_pickup_list_of_an_unknown_point_is_a_404(client, vendor_b, order_b):
    client.force_login(vendor_b.user)

    for value in ("999999", "abc"):
        response = client.get(reverse(f"{NS}:pickup_list"), {"pickup_point": value})
        assert response.status_code == 404


def test_the_pickup_list_chooser_offers_the_vendors_points(client, vendor_b, order_b, point):
    client.force_login(vendor_b.user)

    html = client.get(reverse(f"{NS}:pickup_list")).content.decode()

    assert f"?pickup_point={point.pk}" in html


def test_a_user_without_a_vendor_sees_no_order(client, order_a):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="passant"))

    response = client.get(reverse(f"{NS}:inspect", args=[order_a.pk]))

    assert response.status_code in (302, 403, 404)


def test_the_dashboard_counts_orders_to_prepare_and_sales(client, vendor_a, order_a):
    client.force_login(vendor_a.user)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "commande à préparer" in html
    assert "12,50\u00a0€" in html

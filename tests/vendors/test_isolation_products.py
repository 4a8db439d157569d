"""Vendor B never reads nor changes vendor A's products, whatever the admin URL."""

import pytest
from django.urls import reverse

from shop.models import Product

pytestmark = pytest.mark.django_db

NS = "wagtailsnippets_shop_product"
CHOOSER_NS = "wagtailsnippetchoosers_shop_product"
OBJECT_VIEWS = ["edit", "inspect", "delete", "history", "usage", "copy"]


@pytest.mark.parametrize("view", OBJECT_VIEWS)
def test_object_views_answer_404_for_another_vendors_product(client, vendor_a, vendor_b, view):
    client.force_login(vendor_b.user)

    response = client.get(reverse(f"{NS}:{view}", args=[vendor_a.product.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("view", OBJECT_VIEWS)
def test_object_views_open_for_the_owner(client, vendor_a, view):
    client.force_login(vendor_a.user)

    response = client.get(reverse(f"{NS}:{view}", args=[vendor_a.product.pk]))

    assert response.status_code == 200


def test_posting_an_edit_or_a_delete_to_another_vendors_product_changes_nothing(
    client, vendor_a, vendor_b
):
    client.force_login(vendor_b.user)

    edit = client.post(reverse(f"{NS}:edit", args=[vendor_a.product.pk]), {"title": "Volé"})
    delete = client.post(reverse(f"{NS}:delete", args=[vendor_a.product.pk]))
    stock = client.post(reverse("shop_product_stock", args=[vendor_a.product.pk]), {"stock": 0})

    assert (edit.status_code, delete.status_code, stock.status_code) == (404, 404, 404)
    product = Product.objects.get(pk=vendor_a.product.pk)
    assert (product.title, product.stock) == ("Produit secret a", 1)


def test_the_list_shows_only_the_vendors_own_products(client, vendor_a, vendor_b):
    client.force_login(vendor_b.user)

    html = client.get(reverse(f"{NS}:list")).content.decode()

    assert "Produit secret b" in html
    assert "Produit secret a" not in html


def test_search_in_the_list_does_not_reach_other_vendors(client, vendor_a, vendor_b):
    client.force_login(vendor_b.user)

    html = client.get(reverse(f"{NS}:list"), {"q": "secret"}).content.decode()

    assert "Produit secret a" not in html
    assert "Produit secret b" in html


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_holds_only_the_vendors_own_products(client, vendor_a, vendor_b, export_format):
    client.force_login(vendor_b.user)

    response = client.get(reverse(f"{NS}:list"), {"export": export_format})

    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "csv":
        assert b"Produit secret b" in content
    assert b"Produit secret a" not in content


def test_the_chooser_lists_and_returns_only_the_vendors_own_products(client, vendor_a, vendor_b):
    client.force_login(vendor_b.user)

    listing = client.get(reverse(f"{CHOOSER_NS}:choose")).content.decode()
    chosen = client.get(reverse(f"{CHOOSER_NS}:chosen", args=[vendor_a.product.pk]))

    assert "Produit secret a" not in listing
    assert "Produit secret b" in listing
    assert chosen.status_code == 404


@pytest.mark.parametrize("action", ["delete", "put_on_sale", "take_off_sale"])
def test_bulk_actions_ignore_other_vendors_products(client, vendor_a, vendor_b, action):
    client.force_login(vendor_b.user)
    url = reverse("wagtail_bulk_action", args=["shop", "product", action])

    page = client.get(url, {"id": [vendor_a.product.pk, vendor_b.product.pk]})
    everything = client.get(url, {"id": "all"})
    client.post(url + f"?id={vendor_a.product.pk}")

    assert "Produit secret a" not in page.content.decode()
    assert "Produit secret a" not in everything.content.decode()
    product = Product.objects.get(pk=vendor_a.product.pk)
    assert product.is_active


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, vendor_a):
    response = client.get(reverse(f"{NS}:edit", args=[vendor_a.product.pk]))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

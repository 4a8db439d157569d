"""« Mes produits »: a vendor manages its catalogue quickly in the back office."""

import json
import re

import pytest
from django.urls import reverse

from shop.models import Category, Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

NS = "wagtailsnippets_shop_product"


def product_form(**overrides):
    data = {
        "title": "Service à café en porcelaine",
        "description": json.dumps({
            "blocks": [{"key": "a1", "type": "unstyled", "text": "Six tasses et leur cafetière.",
                        "depth": 0, "inlineStyleRanges": [], "entityRanges": []}],
            "entityMap": {},
        }),
        "category": Category.objects.get(slug="vaisselle").pk,
        "condition": "very_good",
        "price": "12,50",
        "stock": "1",
        "weight_grams": "",
        "solidarity_percent": "10",
        "solidarity_project": "",
        "is_active": "on",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "8",
    }
    data.update(overrides)
    return data


def test_a_vendor_adds_a_product_with_a_french_price(client, vendor_a):
    client.force_login(vendor_a.user)

    response = client.post(reverse(f"{NS}:add"), product_form())

    assert response.status_code == 302
    product = Product.objects.get(title="Service à café en porcelaine")
    assert product.vendor == vendor_a.vendor
    assert product.price_cents == 1250
    assert product.solidarity_bps == 1000
    assert product.slug == "service-a-cafe-en-porcelaine"


def test_the_vendor_field_is_not_offered_to_vendors(client, vendor_a, vendor_b):
    client.force_login(vendor_a.user)

    html = client.get(reverse(f"{NS}:add")).content.decode()
    client.post(reverse(f"{NS}:add"), product_form(vendor=vendor_b.vendor.pk))

    assert 'name="vendor"' not in html
    assert Product.objects.get(title="Service à café en porcelaine").vendor == vendor_a.vendor


def test_a_bad_price_gets_a_clear_error_and_nothing_is_saved(client, vendor_a):
    client.force_login(vendor_a.user)

    response = client.post(reverse(f"{NS}:add"), product_form(price="douze"))

    assert response.status_code == 200
    assert not Product.objects.filter(title="Service à café en porcelaine").exists()
    assert "price" in response.context["form"].errors


@pytest.mark.parametrize(("description", "stored"), [
    ("Un bol", "<p>Un bol</p>"),
    ("<b>Un bol</b>", "<p>&lt;b&gt;Un bol&lt;/b&gt;</p>"),
    ('{"blocks": 3}', "<p>{&quot;blocks&quot;: 3}</p>"),
])
def test_a_description_that_is_not_the_editors_state_is_kept_as_plain_text(
    client, vendor_a, description, stored
):
    client.force_login(vendor_a.user)
    product = vendor_a.product

    added = client.post(reverse(f"{NS}:add"), product_form(description=description))
    edited = client.post(reverse(f"{NS}:edit", args=[product.pk]),
                         product_form(title=product.title, description=description))

    assert (added.status_code, edited.status_code) == (302, 302)
    assert Product.objects.get(title="Service à café en porcelaine").description == stored
    product.refresh_from_db()
    assert product.description == stored


def test_duplicating_makes_a_new_product_and_keeps_the_original(client, vendor_a):
    client.force_login(vendor_a.user)
    original = vendor_a.product

    form_page = client.get(reverse(f"{NS}:copy", args=[original.pk]))
    response = client.post(
        reverse(f"{NS}:copy", args=[original.pk]), product_form(title=original.title)
    )

    assert form_page.status_code == 200
    assert response.status_code == 302
    copies = Product.objects.filter(vendor=vendor_a.vendor, title=original.title)
    assert copies.count() == 2
    assert sorted(copies.values_list("slug", flat=True)) == ["produit-a", "produit-secret-a"]


def test_the_stock_can_be_corrected_from_the_list(client, vendor_a):
    client.force_login(vendor_a.user)
    url = reverse("shop_product_stock", args=[vendor_a.product.pk])

    good = client.post(url, {"stock": "4", "next": reverse(f"{NS}:list")})
    bad = client.post(url, {"stock": "-1"}, follow=True)

    assert good.status_code == 302
    vendor_a.product.refresh_from_db()
    assert vendor_a.product.stock == 4
    assert bad.status_code == 200
    assert any("-1" in str(message) for message in bad.context["messages"])


def test_bulk_take_off_sale_then_put_back(client, vendor_a):
    client.force_login(vendor_a.user)
    other = ProductFactory(vendor=vendor_a.vendor, slug="autre")
    ids = f"?id={vendor_a.product.pk}&id={other.pk}"

    client.post(reverse("wagtail_bulk_action", args=["shop", "product", "take_off_sale"]) + ids)
    off = set(Product.objects.filter(vendor=vendor_a.vendor).values_list("is_active", flat=True))
    client.post(reverse("wagtail_bulk_action", args=["shop", "product", "put_on_sale"]) + ids)
    on = set(Product.objects.filter(vendor=vendor_a.vendor).values_list("is_active", flat=True))

    assert off == {False}
    assert on == {True}


def test_filters_narrow_the_list(client, vendor_a):
    client.force_login(vendor_a.user)
    ProductFactory(vendor=vendor_a.vendor, title="Vélo hors vente", slug="velo", is_active=False)

    html = client.get(reverse(f"{NS}:list"), {"is_active": "false"}).content.decode()

    assert "Vélo hors vente" in html
    assert "Produit secret a" not in html


def test_the_stock_form_of_the_list_carries_a_csrf_token_a_browser_can_send(vendor_a):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(vendor_a.user)
    page = browser.get(reverse(f"{NS}:list")).content.decode()
    token = re.search(r'class="stock-quick-edit">\s*<input type="hidden" '
                      r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "the quick stock form has no CSRF token"

    response = browser.post(reverse("shop_product_stock", args=[vendor_a.product.pk]),
                            {"stock": "3", "csrfmiddlewaretoken": token[1]})

    assert response.status_code == 302
    vendor_a.product.refresh_from_db()
    assert vendor_a.product.stock == 3

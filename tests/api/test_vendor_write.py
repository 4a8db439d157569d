"""The vendor write API: tokens, scope, writes, bulk stock sync."""

import json

import pytest
from django.core.cache import cache

from shop.models import Product
from tests.factories import (
    MarketPageFactory,
    ProductFactory,
    VendorFactory,
    product_in_market,
    reserved_checkout,
)
from vendors.services import api_token_create, api_token_revoke, vendor_suspend

pytestmark = pytest.mark.django_db

API = "/api/v1/vendor"


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_for(vendor):
    _token, secret = api_token_create(vendor=vendor, name="Logiciel de caisse")
    return secret


def send(client, method, path, secret, body=None):
    kwargs = bearer(secret)
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"{API}{path}", **kwargs)


# Authentication -------------------------------------------------------------------------


def test_no_token_unknown_token_and_revoked_token_are_refused_with_401(client):
    # given a vendor with a token, then revoked
    vendor = VendorFactory()
    token, secret = api_token_create(vendor=vendor, name="Caisse")

    # when / then
    assert client.get(f"{API}/products").status_code == 401
    assert send(client, "get", "/products", "ms_nope").status_code == 401
    assert send(client, "get", "/products", secret).status_code == 200
    api_token_revoke(token=token)
    response = send(client, "get", "/products", secret)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "jeton" in response.json()["detail"].lower()


def test_only_the_hash_of_the_secret_is_stored_and_use_is_noted(client):
    vendor = VendorFactory()
    token, secret = api_token_create(vendor=vendor, name="Caisse")

    send(client, "get", "/products", secret)

    token.refresh_from_db()
    assert secret not in (token.secret_hash, token.prefix)
    assert token.secret_hash == token.hash_secret(secret)
    assert token.last_used_at is not None


def test_a_suspended_vendor_gets_403_and_writes_nothing(client):
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, stock=2)
    secret = token_for(vendor)
    vendor_suspend(vendor=vendor)

    response = send(client, "patch", f"/products/{product.pk}", secret, {"stock": 9})

    assert response.status_code == 403
    assert "suspendue" in response.json()["detail"]
    product.refresh_from_db()
    assert product.stock == 2


def test_past_the_rate_a_token_gets_429_with_retry_after(client, settings):
    settings.API_WRITE_RATE = 3
    secret = token_for(VendorFactory())

    codes = [send(client, "get", "/products", secret).status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    response = send(client, "get", "/products", secret)
    assert 1 <= int(response["Retry-After"]) <= 60
    # another token has its own count
    assert send(client, "get", "/products", token_for(VendorFactory())).status_code == 200


# Isolation ------------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["a_on_b", "b_on_a"])
def test_a_vendor_token_cannot_read_or_write_another_vendors_products(
    client, vendor_a, vendor_b, direction
):
    # given each vendor with its token and a product
    me, other = (vendor_a, vendor_b) if direction == "a_on_b" else (vendor_b, vendor_a)
    secret = token_for(me.vendor)
    theirs = other.product
    stock_before, price_before = theirs.stock, theirs.price_cents

    # when my token reads and writes their product
    listing = send(client, "get", "/products", secret)
    detail = send(client, "get", f"/products/{theirs.pk}", secret)
    patch = send(client, "patch", f"/products/{theirs.pk}", secret, {"stock": 7})
    bulk = send(client, "post", "/products/bulk", secret,
                {"items": [{"id": theirs.pk, "price_cents": 1}]})

    # then nothing of theirs is shown or changed
    assert [item["id"] for item in listing.json()["items"]] == [me.product.pk]
    assert detail.status_code == 404
    assert patch.status_code == 404
    assert bulk.status_code == 422
    assert bulk.json()["errors"][0]["code"] == "not_found"
    theirs.refresh_from_db()
    assert (theirs.stock, theirs.price_cents) == (stock_before, price_before)


def test_a_reference_of_another_vendor_creates_a_product_of_mine(client, vendor_a, vendor_b):
    Product.objects.filter(pk=vendor_b.product.pk).update(reference="SKU-1")
    secret = token_for(vendor_a.vendor)

    response = send(client, "post", "/products/bulk", secret, {"items": [
        {"reference": "SKU-1", "title": "Chaise", "category": "vaisselle", "price_cents": 900},
    ]})

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    mine = Product.objects.get(vendor=vendor_a.vendor, reference="SKU-1")
    assert mine.pk != vendor_b.product.pk
    assert Product.objects.get(pk=vendor_b.product.pk).title == vendor_b.product.title


# Reads and single writes ----------------------------------------------------------------


def test_list_is_paginated_and_shows_the_units_held(client, django_assert_max_num_queries):
    market = MarketPageFactory()
    first = product_in_market(market, stock=3, reference="A-1")
    for _ in range(4):
        ProductFactory(vendor=first.vendor)
    reserved_checkout(market, [(first, 2)], session_key="s" * 32)
    secret = token_for(first.vendor)

    # token and its use, count, page, units held, throttle counter outside the DB
    with django_assert_max_num_queries(6):
        response = send(client, "get", "/products?page_size=2", secret)

    body = response.json()
    assert (body["count"], body["num_pages"], len(body["items"])) == (5, 3, 2)
    assert body["items"][0]["id"] == first.pk
    assert body["items"][0]["reserved"] == 2
    assert body["items"][0]["currency"] == "EUR"
    assert send(client, "get", "/products?page=4&page_size=2", secret).status_code == 404
    by_ref = send(client, "get", "/products?reference=A-1", secret).json()
    assert [item["id"] for item in by_ref["items"]] == [first.pk]


def test_create_then_patch_a_product(client):
    vendor = VendorFactory(default_solidarity_bps=500)
    secret = token_for(vendor)

    created = send(client, "post", "/products", secret, {
        "reference": "RES-1", "title": "Théière", "category": "vaisselle",
        "price_cents": 1850, "stock": 2, "description": "Belle.\n\nÉbréchée <un peu>.",
    })
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reference"] == "RES-1"
    assert body["solidarity_bps"] == 500
    assert body["description"] == "<p>Belle.</p><p>Ébréchée &lt;un peu&gt;.</p>"

    patched = send(client, "patch", f"/products/{body['id']}", secret, {
        "price_cents": 1500, "is_active": False, "title": "Théière bleue",
        "description": "Bleue.", "category": "maison", "condition": "fair",
        "weight_grams": 800, "solidarity_bps": 1000, "reference": "RES-1",
    })
    assert patched.status_code == 200, patched.content
    product = Product.objects.select_related("category").get(pk=body["id"])
    assert (product.price_cents, product.is_active, product.stock) == (1500, False, 2)
    assert (product.title, product.description, product.category.slug) == (
        "Théière bleue", "<p>Bleue.</p>", "maison")
    assert (product.condition, product.weight_grams, product.solidarity_bps) == (
        "fair", 800, 1000)
    assert patched.json()["title"] == "Théière bleue"
    # null, as a missing field, leaves the value as it is
    kept = send(client, "patch", f"/products/{body['id']}", secret, {"weight_grams": None})
    assert kept.status_code == 200
    assert kept.json()["weight_grams"] == 800

    again = send(client, "post", "/products", secret, {
        "reference": "RES-1", "title": "Théière", "category": "vaisselle", "price_cents": 1700,
    })
    assert again.status_code == 200
    assert Product.objects.filter(vendor=vendor).count() == 1


def test_bad_fields_get_a_french_message_per_field_and_nothing_is_saved(client):
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, price_cents=1000)
    secret = token_for(vendor)

    response = send(client, "patch", f"/products/{product.pk}", secret,
                    {"price_cents": 0, "condition": "cassé", "colour": "rouge"})

    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Rien n")
    fields = {error["field"]: error["message"] for error in body["errors"]}
    assert set(fields) == {"price_cents", "condition", "colour"}
    assert "au moins 1" in fields["price_cents"]
    assert fields["colour"] == "Champ inconnu."
    product.refresh_from_db()
    assert product.price_cents == 1000


def test_malformed_json_is_a_400_not_a_500(client):
    secret = token_for(VendorFactory())
    response = client.post(f"{API}/products/bulk", data="{items: [",
                           content_type="application/json", **bearer(secret))
    assert response.status_code in (400, 422)


# Bulk -----------------------------------------------------------------------------------


def test_bulk_updates_by_id_and_reference_and_creates_unknown_references(client):
    vendor = VendorFactory()
    by_id = ProductFactory(vendor=vendor, stock=1, price_cents=1000)
    by_ref = ProductFactory(vendor=vendor, stock=4, reference="SKU-4")
    untouched = ProductFactory(vendor=vendor, stock=2)
    secret = token_for(vendor)

    response = send(client, "post", "/products/bulk", secret, {"items": [
        {"id": by_id.pk, "stock": 5, "price_cents": 1200},
        {"reference": "SKU-4", "stock": 0},
        {"reference": "SKU-NEW", "title": "Lampe", "category": "vaisselle",
         "price_cents": 2500, "stock": 3},
        {"id": untouched.pk, "stock": 2},
    ]})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (1, 2, 1)
    assert [item["status"] for item in body["items"]] == [
        "updated", "updated", "created", "unchanged"]
    by_id.refresh_from_db()
    by_ref.refresh_from_db()
    assert (by_id.stock, by_id.price_cents, by_ref.stock) == (5, 1200, 0)
    new = Product.objects.get(vendor=vendor, reference="SKU-NEW")
    assert (new.stock, new.slug, new.price_cents) == (3, "lampe", 2500)
    assert body["items"][2]["id"] == new.pk


def test_bulk_is_all_or_nothing_and_lists_every_refused_item(client):
    vendor = VendorFactory()
    good = ProductFactory(vendor=vendor, stock=1)
    secret = token_for(vendor)

    response = send(client, "post", "/products/bulk", secret, {"items": [
        {"id": good.pk, "stock": 8},
        {"reference": "NEW", "title": "Sans prix", "category": "vaisselle"},
        {"id": good.pk, "stock": 9},
        {"reference": "X", "title": "Chaise", "category": "nulle-part", "price_cents": 100},
        {"id": good.pk + 10_000, "stock": 1},
        {"stock": 3},
        {"id": good.pk + 20_000, "stock": -1},
    ]})

    assert response.status_code == 422
    errors = response.json()["errors"]
    # the type error (stock -1) is found before anything is looked up
    assert [(e["index"], e["field"]) for e in errors] == [(6, "stock")]
    response = send(client, "post", "/products/bulk", secret, {"items": [
        {"id": good.pk, "stock": 8},
        {"reference": "NEW", "title": "Sans prix", "category": "vaisselle"},
        {"id": good.pk, "stock": 9},
        {"reference": "X", "title": "Chaise", "category": "nulle-part", "price_cents": 100},
        {"id": good.pk + 10_000, "stock": 1},
        {"stock": 3},
    ]})
    assert response.status_code == 422
    codes = sorted((e["index"], e["code"]) for e in response.json()["errors"])
    assert codes == [(1, "required"), (2, "duplicate"), (3, "unknown_category"),
                     (4, "not_found"), (5, "no_identifier")]
    good.refresh_from_db()
    assert good.stock == 1
    assert not Product.objects.filter(reference__in=["NEW", "X"]).exists()


def test_bulk_keeps_a_reserved_unique_item_and_guards_against_a_sale_meanwhile(client):
    # given a unique item held in a basket being paid, and a product whose stock moved
    market = MarketPageFactory()
    unique = product_in_market(market, stock=1, reference="UNIQUE")
    sold_meanwhile = ProductFactory(vendor=unique.vendor, stock=2)
    reserved_checkout(market, [(unique, 1)], session_key="k" * 32)
    secret = token_for(unique.vendor)

    # when the tool sets the unique item to 0 and the other back to what it read (3)
    response = send(client, "post", "/products/bulk", secret, {"items": [
        {"reference": "UNIQUE", "stock": 0},
        {"id": sold_meanwhile.pk, "stock": 4, "expected_stock": 3},
    ]})

    # then both are refused with their reason, nothing changed
    assert response.status_code == 422
    errors = {e["index"]: e for e in response.json()["errors"]}
    assert errors[0]["code"] == "stock_below_reserved"
    assert "paniers" in errors[0]["message"]
    assert errors[1]["code"] == "stock_changed"
    unique.refresh_from_db()
    sold_meanwhile.refresh_from_db()
    assert (unique.stock, sold_meanwhile.stock) == (1, 2)

    # and a price change of the reserved item, or a stock at its held units, is accepted
    ok = send(client, "post", "/products/bulk", secret, {"items": [
        {"reference": "UNIQUE", "stock": 1, "price_cents": 990},
        {"id": sold_meanwhile.pk, "stock": 4, "expected_stock": 2},
    ]})
    assert ok.status_code == 200, ok.content
    unique.refresh_from_db()
    assert (unique.stock, unique.price_cents) == (1, 990)


def test_a_thousand_stock_updates_take_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    vendor = VendorFactory()
    Product.objects.bulk_create([
        Product(vendor=vendor, title=f"Objet {n}", slug=f"objet-{n}", reference=f"R{n}",
                category_id=ProductFactory.build().category.pk, price_cents=500, stock=1)
        for n in range(1000)
    ])
    secret = token_for(vendor)
    items = [{"reference": f"R{n}", "stock": n % 7} for n in range(1000)]

    # token, vendor lock, references, product locks, reservations, two UPDATE batches of
    # 500, savepoints: the same for 10 items or 1,000
    with django_assert_max_num_queries(12):
        response = send(client, "post", "/products/bulk", secret, {"items": items})

    assert response.status_code == 200, response.content
    assert response.json()["updated"] == 1000 - 143
    assert Product.objects.filter(vendor=vendor, stock=3).count() == 143


def test_more_than_a_thousand_items_are_refused(client):
    secret = token_for(VendorFactory())
    response = send(client, "post", "/products/bulk", secret,
                    {"items": [{"id": n + 1, "stock": 1} for n in range(1001)]})
    assert response.status_code == 422
    assert "1000" in response.json()["errors"][0]["message"]


# Back office ----------------------------------------------------------------------------


def test_the_owner_makes_sees_once_and_revokes_a_token(client, vendor_a, vendor_b):
    # given vendor B has a token
    api_token_create(vendor=vendor_b.vendor, name="Jeton de B")
    client.force_login(vendor_a.user)

    # when A makes one
    made = client.post("/admin/ma-structure/api/", {"name": "Caisse"})

    # then the secret is shown once and works; B's token is not listed
    assert made.status_code == 200
    secret = made.context["secret"]
    assert secret.startswith("ms_") and secret in made.content.decode()
    assert "Jeton de B" not in made.content.decode()
    assert send(client, "get", "/products", secret).status_code == 200
    listing = client.get("/admin/ma-structure/api/")
    assert secret not in listing.content.decode()
    assert "Caisse" in listing.content.decode()

    # and revoking asks first, then refuses the token
    token = vendor_a.vendor.api_tokens.get()
    assert client.get(f"/admin/ma-structure/api/{token.pk}/revoquer/").status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is None
    client.post(f"/admin/ma-structure/api/{token.pk}/revoquer/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert send(client, "get", "/products", secret).status_code == 401


def test_a_vendor_cannot_see_or_revoke_another_vendors_token(client, vendor_a, vendor_b):
    theirs, _secret = api_token_create(vendor=vendor_b.vendor, name="Jeton de B")
    client.force_login(vendor_a.user)

    assert client.get(f"/admin/ma-structure/api/{theirs.pk}/revoquer/").status_code == 404
    assert client.post(f"/admin/ma-structure/api/{theirs.pk}/revoquer/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_staff_members_do_not_manage_tokens(client, vendor_a):
    from tests.factories import UserFactory
    from vendors.models import VendorMembership
    from vendors.services import vendor_member_add

    staff = UserFactory(username="benevole")
    vendor_member_add(vendor=vendor_a.vendor, user=staff, role=VendorMembership.Role.STAFF)
    client.force_login(staff)

    # Wagtail answers a refused admin page by sending back to the dashboard
    assert client.get("/admin/ma-structure/api/").status_code in (302, 403)
    assert client.post("/admin/ma-structure/api/", {"name": "x"}).status_code in (302, 403)
    assert not vendor_a.vendor.api_tokens.exists()
    assert "/admin/ma-structure/api/" not in client.get("/admin/").content.decode()
    client.force_login(vendor_a.user)
    assert "/admin/ma-structure/api/" in client.get("/admin/").content.decode()


def test_the_openapi_documents_the_bearer_scheme_and_examples(client):
    schema = client.get("/api/v1/openapi.json").json()

    scheme = schema["components"]["securitySchemes"]["VendorToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    bulk = schema["paths"]["/api/v1/vendor/products/bulk"]["post"]
    assert bulk["security"] == [{"VendorToken": []}]
    assert "examples" in schema["components"]["schemas"]["BulkIn"]
    assert "examples" in schema["components"]["schemas"]["WriteErrorOut"]
    assert "security" not in schema["paths"]["/api/v1/markets"]["get"]


def test_the_token_page_takes_a_bounded_number_of_queries(
    client, vendor_a, django_assert_max_num_queries
):
    for number in range(5):
        api_token_create(vendor=vendor_a.vendor, name=f"Jeton {number}",
                         created_by=vendor_a.user)
    client.force_login(vendor_a.user)
    client.get("/admin/ma-structure/api/")  # warms Wagtail's per-process caches

    # session, user, vendor and role, the tokens with their authors, the admin's menu
    # and its permission checks: the same for 5 tokens or 50
    with django_assert_max_num_queries(25):
        response = client.get("/admin/ma-structure/api/")

    assert response.status_code == 200
    assert response.content.decode().count("Révoquer « Jeton") == 5


def test_a_price_in_another_currency_is_refused(client):
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, price_cents=1000)
    secret = token_for(vendor)

    refused = send(client, "patch", f"/products/{product.pk}", secret,
                   {"price_cents": 900, "currency": "USD"})
    accepted = send(client, "patch", f"/products/{product.pk}", secret,
                    {"price_cents": 900, "currency": "EUR"})

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "currency"
    assert accepted.status_code == 200
    assert accepted.json()["price_cents"] == 900

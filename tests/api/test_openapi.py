import re

import pytest

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/markets",
    "/api/v1/markets/{market_id}",
    "/api/v1/markets/{market_id}/products",
    "/api/v1/markets/{market_id}/products/{product_id}",
    "/api/v1/products/{product_id}",
    "/api/v1/vendors",
    "/api/v1/vendors/{slug}",
    "/api/v1/projects",
    "/api/v1/projects/{project_id}",
}


def test_openapi_lists_every_path(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Marchés solidaires API"
    assert set(schema["paths"]) >= PATHS
    # the public catalogue is read-only; writes are a vendor's, under /vendor/, with a token
    for path, operations in schema["paths"].items():
        if path.startswith("/api/v1/vendor/"):
            assert all(op["security"] == [{"VendorToken": []}] for op in operations.values())
        else:
            assert set(operations) == {"get"}
            assert all("security" not in op for op in operations.values())


def test_openapi_documents_the_page_past_the_end(client):
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/markets/{market_id}/products"]["get"]
    assert "404" in operation["description"]
    assert "404" in operation["responses"]


def test_every_money_field_in_answers_is_in_cents_next_to_a_currency(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    answers = {name: schema for name, schema in schemas.items() if name != "CatalogueFilters"}

    for name, schema in answers.items():
        fields = set(schema.get("properties", {}))
        money = {field for field in fields if field.endswith("_cents")}
        if money:
            assert "currency" in fields, name
        assert not {f for f in fields if re.search(r"(price|amount|goal)$", f)}, name


def test_index_points_to_the_collections(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert response.json()["openapi"] == "http://testserver/api/v1/openapi.json"
    assert response.json()["markets"] == "http://testserver/api/v1/markets"


def test_docs_page_loads_nothing_from_another_host(client):
    response = client.get("/api/v1/docs", follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)

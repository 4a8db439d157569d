import pytest

from markets.models import MarketParticipation
from shop.catalogue.selectors import CatalogueQuery, catalogue_products
from shop.models import Product
from tests.api.conftest import closed_market, paused_market, upcoming_market
from tests.factories import (
    ImageFactory,
    MarketPageFactory,
    ProductImageFactory,
    VendorFactory,
    category,
    make_image_file,
    product_in_market,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def products_path(market):
    return f"/markets/{market.pk}/products"


def test_a_listed_product_carries_price_condition_category_vendor_and_image(api_get):
    # given a product with a photo in an open market
    market = MarketPageFactory()
    product = product_in_market(
        market, title="Service à thé", price_cents=1850, condition=Product.Condition.LIKE_NEW,
        category=category("vaisselle"), vendor=VendorFactory(name="Trocantons", city="Rezé"),
    )
    ProductImageFactory(
        product=product, alt_text="Théière et six tasses",
        image=ImageFactory(file=make_image_file(1600, 1200)),
    )

    # when
    response = api_get(products_path(market))

    # then
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["id"] == product.pk
    assert item["price_cents"] == 1850
    assert item["currency"] == "EUR"
    assert item["condition"]["code"] == "like_new"
    assert item["condition"]["label"]
    assert item["category"] == {
        "slug": "vaisselle",
        "name": "Vaisselle et arts de la table",
        "parent": {"slug": "maison", "name": "Maison"},
    }
    assert item["vendor"]["name"] == "Trocantons"
    assert item["vendor"]["city"] == "Rezé"
    assert item["available"] is True
    assert item["purchasable"] is True
    assert item["url"].endswith(f"/produits/{product.slug}-{product.pk}/")
    assert item["image"]["alt"] == "Théière et six tasses"
    assert item["image"]["url"].endswith(".webp")
    assert (item["image"]["width"], item["image"]["height"]) == (800, 600)
    assert response.json()["market"]["status"] == "open"


def test_products_of_suspended_vendors_and_unapproved_participations_vanish(api_get):
    # given a visible product, one of a suspended vendor, one awaiting approval, one inactive
    market = MarketPageFactory()
    product_in_market(market, title="Visible")
    suspended = product_in_market(market, title="Suspendu")
    Vendor.objects.filter(pk=suspended.vendor_id).update(status=Vendor.Status.SUSPENDED)
    pending = product_in_market(market, title="En attente")
    MarketParticipation.objects.filter(vendor=pending.vendor).update(
        state=MarketParticipation.State.APPLIED
    )
    inactive = product_in_market(market, title="Retiré", is_active=False)

    # when
    listed = api_get(products_path(market))

    # then
    assert titles(listed) == ["Visible"]
    for hidden in (suspended, pending, inactive):
        assert api_get(f"{products_path(market)}/{hidden.pk}").status_code == 404
        assert api_get(f"/products/{hidden.pk}").status_code == 404


@pytest.mark.parametrize(
    "make_market, status",
    [(closed_market, "closed"), (upcoming_market, "upcoming"), (paused_market, "paused")],
)
def test_markets_not_open_list_products_that_cannot_be_bought(api_get, make_market, status):
    # given a market that is not open, with a product in stock
    market = make_market()
    product = product_in_market(market, title="Lampe", stock=2)

    # when
    response = api_get(products_path(market))
    detail = api_get(f"{products_path(market)}/{product.pk}")

    # then
    assert response.json()["market"]["status"] == status
    [item] = response.json()["items"]
    assert (item["available"], item["purchasable"]) == (True, False)
    assert detail.json()["purchasable"] is False


def test_out_of_stock_product_is_listed_but_not_purchasable(api_get):
    market = MarketPageFactory()
    product_in_market(market, title="Vendu", stock=0)

    [item] = api_get(products_path(market)).json()["items"]

    assert (item["available"], item["purchasable"]) == (False, False)


def test_filters_by_vendor_slug(api_get):
    market = MarketPageFactory()
    mine = product_in_market(market, title="Chez Envie")
    product_in_market(market, title="Ailleurs")

    assert titles(api_get(products_path(market), vendor=mine.vendor.slug)) == ["Chez Envie"]
    assert titles(api_get(products_path(market), vendor="inconnu")) == []


def test_a_parent_category_includes_its_children(api_get):
    # given products in « Maison › Vaisselle », « Maison › Décoration » and « Livres »
    market = MarketPageFactory()
    product_in_market(market, title="Assiette", category=category("vaisselle"))
    product_in_market(market, title="Miroir", category=category("decoration"))
    product_in_market(market, title="Roman", category=category("livres"))

    # when / then
    assert sorted(titles(api_get(products_path(market), category="maison"))) == [
        "Assiette", "Miroir",
    ]
    assert titles(api_get(products_path(market), category="decoration")) == ["Miroir"]


def test_condition_filter_is_repeatable(api_get):
    market = MarketPageFactory()
    product_in_market(market, title="Neuf", condition=Product.Condition.NEW)
    product_in_market(market, title="Bon", condition=Product.Condition.GOOD)
    product_in_market(market, title="Correct", condition=Product.Condition.FAIR)

    response = api_get(products_path(market), condition=["new", "fair"])

    assert sorted(titles(response)) == ["Correct", "Neuf"]


def test_price_range_in_cents_is_inclusive(api_get):
    market = MarketPageFactory()
    for price in (500, 1000, 1500, 2000):
        product_in_market(market, title=f"P{price}", price_cents=price)

    response = api_get(products_path(market), min_price=1000, max_price=1500, sort="price_asc")

    assert titles(response) == ["P1000", "P1500"]
    assert titles(api_get(products_path(market), min_price=1600)) == ["P2000"]


def test_in_stock_hides_sold_out_products(api_get):
    market = MarketPageFactory()
    product_in_market(market, title="Disponible", stock=1)
    product_in_market(market, title="Épuisé", stock=0)

    assert titles(api_get(products_path(market), in_stock="true")) == ["Disponible"]
    assert len(titles(api_get(products_path(market), in_stock="false"))) == 2


def test_sorts(api_get):
    # given three products created in this order
    market = MarketPageFactory()
    for title, price in (("Ancien", 300), ("Milieu", 100), ("Récent", 200)):
        product_in_market(market, title=title, price_cents=price)

    # when / then
    assert titles(api_get(products_path(market))) == ["Récent", "Milieu", "Ancien"]
    assert titles(api_get(products_path(market), sort="newest")) == ["Récent", "Milieu", "Ancien"]
    assert titles(api_get(products_path(market), sort="price_asc")) == [
        "Milieu", "Récent", "Ancien",
    ]
    assert titles(api_get(products_path(market), sort="price_desc")) == [
        "Ancien", "Récent", "Milieu",
    ]


@pytest.mark.parametrize("words", ["velo", "vélo", "VÉLO", "Velo"])
def test_search_ignores_accents_and_case(api_get, words):
    market = MarketPageFactory()
    product_in_market(market, title="Vélo de ville", slug="velo")
    product_in_market(market, title="Théière en fonte", slug="theiere")

    assert titles(api_get(products_path(market), q=words)) == ["Vélo de ville"]


def test_search_finds_words_in_description(api_get):
    market = MarketPageFactory()
    product_in_market(market, title="Lot", description="<p>Une théière émaillée</p>")
    product_in_market(market, title="Autre", description="<p>Un vase</p>")

    assert titles(api_get(products_path(market), q="theiere")) == ["Lot"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "relevance"},
        {"sort": "price_asc"},
        {"sort": "price_desc", "condition": ["good", "new"]},
        {"category": "maison", "min_price": 700},
        {"q": "lampe", "in_stock": "true"},
        {"q": "lampe", "sort": "price_desc"},
    ],
)
def test_api_and_storefront_selector_agree(api_get, params):
    # given a varied catalogue
    market = MarketPageFactory()
    rows = [
        ("Lampe de bureau", 900, "luminaires", "good", 1),
        ("Lampe à huile", 1500, "decoration", "fair", 0),
        ("Assiettes", 600, "vaisselle", "new", 3),
        ("Lampe tempête", 700, "luminaires", "new", 1),
        ("Roman policier", 300, "livres", "good", 1),
    ]
    for title, price, slug, condition, stock in rows:
        product_in_market(
            market, title=title, price_cents=price, category=category(slug),
            condition=condition, stock=stock,
        )
    query = CatalogueQuery(
        q=params.get("q", ""),
        category=params.get("category", ""),
        conditions=tuple(params.get("condition", ())),
        min_price_cents=params.get("min_price"),
        in_stock=params.get("in_stock") == "true",
        sort=params.get("sort", ""),
    )

    # when
    response = api_get(products_path(market), **params)

    # then
    expected = [product.pk for product in catalogue_products(market=market, query=query)]
    assert [item["id"] for item in response.json()["items"]] == expected
    assert response.json()["count"] == len(expected)


def test_pages_split_the_catalogue(api_get):
    # given 5 products
    market = MarketPageFactory()
    for number in range(5):
        product_in_market(market, title=f"P{number}", price_cents=100 + number)

    # when
    first = api_get(products_path(market), page_size=2, sort="price_asc")
    last = api_get(products_path(market), page_size=2, page=3, sort="price_asc")

    # then
    assert first.json()["count"] == 5
    assert first.json()["num_pages"] == 3
    assert (first.json()["page"], first.json()["page_size"]) == (1, 2)
    assert titles(first) == ["P0", "P1"]
    assert titles(last) == ["P4"]


def test_page_past_the_end_is_404_with_a_message(api_get):
    market = MarketPageFactory()
    product_in_market(market)

    response = api_get(products_path(market), page=2)

    assert response.status_code == 404
    assert "2" in response.json()["detail"]


def test_empty_catalogue_has_one_empty_page(api_get):
    market = MarketPageFactory()

    response = api_get(products_path(market))

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["num_pages"] == 1
    assert response.json()["items"] == []


@pytest.mark.parametrize("page_size", [1, 100])
def test_page_size_bounds_are_accepted(api_get, page_size):
    market = MarketPageFactory()
    product_in_market(market)

    response = api_get(products_path(market), page_size=page_size)

    assert response.status_code == 200
    assert response.json()["page_size"] == page_size


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 0},
        {"page_size": 101},
        {"page": 0},
        {"page": "deux"},
        {"min_price": -1},
        {"min_price": "abc"},
        {"max_price": "12,50"},
        {"min_price": 2**40},
        {"min_price": 2000, "max_price": 1000},
        {"sort": "popularity"},
        {"condition": "broken"},
        {"condition": ["good", "broken"]},
        {"in_stock": "maybe"},
        {"vendor": "../admin"},
        {"category": "maison'--"},
        {"q": "vélo\x00"},
        {"q": "x" * 201},
    ],
)
def test_bad_parameters_get_a_clear_error(api_get, params):
    market = MarketPageFactory()
    product_in_market(market)

    response = api_get(products_path(market), **params)

    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_min_price_above_max_price_is_explained(api_get):
    market = MarketPageFactory()

    response = api_get(products_path(market), min_price=2000, max_price=1000)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert "minimum" in error["msg"]


def test_products_of_an_unknown_market_are_404(api_get):
    response = api_get("/markets/987654/products")

    assert response.status_code == 404
    assert response.json()["detail"]

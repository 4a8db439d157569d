import pytest

from markets.models import MarketParticipation
from tests.api.conftest import closed_market
from tests.factories import (
    ImageFactory,
    MarketPageFactory,
    ParticipationFactory,
    ProductImageFactory,
    SolidarityProjectPageFactory,
    make_image_file,
    product_in_market,
)

pytestmark = pytest.mark.django_db


def photo(product, alt):
    return ProductImageFactory(
        product=product, alt_text=alt, image=ImageFactory(file=make_image_file(1600, 1200))
    )


def test_detail_has_description_images_project_and_markets(api_get):
    # given a product with two photos and a fixed project, sold in an open and a closed market
    market = MarketPageFactory(title="Marché ouvert")
    project = SolidarityProjectPageFactory(title="Repair café")
    product = product_in_market(
        market, title="Fauteuil", description="<p>Un <b>fauteuil</b> retapissé.</p>",
        solidarity_bps=1000, solidarity_project=project, weight_grams=8000,
    )
    ParticipationFactory(market=closed_market(title="Marché fermé"), vendor=product.vendor)
    photo(product, "Fauteuil vu de face")
    photo(product, "Détail du tissu")

    # when
    response = api_get(f"/products/{product.pk}")

    # then
    assert response.status_code == 200
    payload = response.json()
    assert payload["description"] == "<p>Un <b>fauteuil</b> retapissé.</p>"
    assert (payload["price_cents"], payload["currency"]) == (1250, "EUR")
    assert payload["solidarity_bps"] == 1000
    assert payload["solidarity_project"] == {"id": project.pk, "title": "Repair café"}
    assert payload["weight_grams"] == 8000
    assert [image["alt"] for image in payload["images"]] == [
        "Fauteuil vu de face", "Détail du tissu",
    ]
    first = payload["images"][0]
    assert (first["card"]["width"], first["card"]["height"]) == (800, 600)
    assert (first["large"]["width"], first["large"]["height"]) == (1200, 900)
    assert first["large"]["url"].endswith(".webp")
    assert sorted((m["title"], m["status"]) for m in payload["markets"]) == [
        ("Marché fermé", "closed"), ("Marché ouvert", "open"),
    ]
    assert payload["purchasable"] is True
    assert payload["url"] == next(
        m["product_url"] for m in payload["markets"] if m["status"] == "open"
    )


def test_a_product_without_project_lets_the_shopper_choose(api_get):
    market = MarketPageFactory()
    product = product_in_market(market)

    payload = api_get(f"/products/{product.pk}").json()

    assert payload["solidarity_project"] is None
    assert payload["images"] == []
    assert payload["image"] is None


def test_detail_in_a_market_says_whether_it_can_be_bought_there(api_get):
    # given a product on sale in an open and a closed market
    open_market = MarketPageFactory()
    product = product_in_market(open_market)
    market = closed_market()
    ParticipationFactory(market=market, vendor=product.vendor)

    # when
    in_closed = api_get(f"/markets/{market.pk}/products/{product.pk}")
    in_open = api_get(f"/markets/{open_market.pk}/products/{product.pk}")

    # then
    assert in_closed.json()["purchasable"] is False
    assert in_closed.json()["url"].startswith(f"http://testserver{market.url}")
    assert in_open.json()["purchasable"] is True


def test_product_of_another_market_is_404_in_this_one(api_get):
    market = MarketPageFactory()
    elsewhere = product_in_market(MarketPageFactory())

    response = api_get(f"/markets/{market.pk}/products/{elsewhere.pk}")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_product_whose_vendor_has_no_approved_market_is_404(api_get):
    market = MarketPageFactory()
    product = product_in_market(market)
    MarketParticipation.objects.filter(vendor=product.vendor).update(
        state=MarketParticipation.State.REFUSED
    )

    assert api_get(f"/products/{product.pk}").status_code == 404


def test_product_of_an_unpublished_market_only_is_404(api_get):
    market = MarketPageFactory()
    product = product_in_market(market)
    market.unpublish()

    assert api_get(f"/products/{product.pk}").status_code == 404


@pytest.mark.parametrize("product_id", ["424242", "0", "abc", str(2**64)])
def test_unknown_or_malformed_product_id(api_get, product_id):
    response = api_get(f"/products/{product_id}")

    assert response.status_code in (404, 422)
    assert response.json()["detail"]


def test_a_photo_whose_file_is_lost_has_no_url_rather_than_an_error(api_get):
    # given a product whose photo file went missing from the storage
    market = MarketPageFactory()
    product = product_in_market(market)
    image = photo(product, "Photo perdue").image
    image.file.storage.delete(image.file.name)

    # when
    response = api_get(f"/products/{product.pk}")

    # then
    assert response.status_code == 200
    assert response.json()["images"][0]["card"]["url"] is None
    assert response.json()["image"]["alt"] == "Photo perdue"

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from shop.models import Product
from tests.factories import (
    MarketPageFactory,
    ProductImageFactory,
    VendorFactory,
    category,
    product_in_market,
    product_url,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def catalogue(client, market, **params):
    response = client.get(market.url, params)
    assert response.status_code == 200
    return response


def listed_titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="product-card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def market():
    return MarketPageFactory(title="Marché de Noël de Nantes", slug="noel-nantes")


def test_an_open_market_lists_its_products_with_price_condition_and_vendor(client, market):
    vendor = VendorFactory(name="Ressourcerie de l'Île")
    product = product_in_market(
        market, vendor=vendor, title="Théière en fonte", price_cents=1250,
        condition=Product.Condition.VERY_GOOD,
    )
    ProductImageFactory(product=product, alt_text="Théière noire vue de face")

    response = catalogue(client, market)

    html = response.content.decode()
    assert listed_titles(response) == ["Théière en fonte"]
    assert "12,50\xa0€" in html
    assert "Très bon état" in html
    assert "Ressourcerie de l&#x27;Île" in html
    assert f'href="{product_url(market, product)}"' in html
    assert 'alt="Théière noire vue de face"' in html
    assert ".webp" in html


def test_thumbnails_have_dimensions_and_load_lazily_below_the_first_row(client, market):
    for n in range(6):
        ProductImageFactory(product=product_in_market(market, title=f"Objet {n}"))

    html = catalogue(client, market).content.decode()

    thumbnails = re.findall(r'<img class="product-card__image"[^>]*>', html)
    assert len(thumbnails) == 6
    assert all(re.search(r'width="\d+" height="\d+"', tag) for tag in thumbnails)
    assert all(re.search(r'srcset="[^"]+\.webp 400w, [^"]+\.webp \d+w"', tag) for tag in thumbnails)
    assert ['loading="lazy"' in tag for tag in thumbnails] == [False] * 4 + [True] * 2


def test_the_filter_form_is_labelled_and_works_without_javascript(client, market):
    product_in_market(market)

    html = catalogue(client, market).content.decode()

    assert '<form method="get"' in html
    for field in ("q", "vendor", "category", "min_price", "max_price", "in_stock", "sort"):
        assert f'<label for="id_{field}"' in html
    assert "<legend>État</legend>" in html
    assert 'type="checkbox" name="condition" value="like_new"' in html
    assert '<button type="submit">' in html
    assert 'hx-get' not in html.split('<form method="get"')[1].split("</form>")[0]


def test_filtering_by_vendor_keeps_only_its_products(client, market):
    mine = product_in_market(market, title="Lampe", vendor=VendorFactory(slug="atelier"))
    product_in_market(market, title="Chaise")

    response = catalogue(client, market, vendor="atelier")

    assert listed_titles(response) == [mine.title]


def test_filtering_by_a_top_level_category_includes_its_subcategories(client, market):
    product_in_market(market, title="Assiette", category=category("vaisselle"))
    product_in_market(market, title="Vase", category=category("decoration"))
    product_in_market(market, title="Roman", category=category("livres"))

    by_parent = catalogue(client, market, category="maison")
    by_child = catalogue(client, market, category="decoration")

    assert sorted(listed_titles(by_parent)) == ["Assiette", "Vase"]
    assert listed_titles(by_child) == ["Vase"]


def test_filtering_by_several_conditions(client, market):
    product_in_market(market, title="Neuf", condition=Product.Condition.NEW)
    product_in_market(market, title="Comme neuf", condition=Product.Condition.LIKE_NEW)
    product_in_market(market, title="Correct", condition=Product.Condition.FAIR)

    response = client.get(market.url + "?condition=new&condition=like_new")

    assert sorted(listed_titles(response)) == ["Comme neuf", "Neuf"]
    html = response.content.decode()
    assert re.search(r'value="new"[^>]*checked', html)


def test_filtering_by_a_price_range_typed_the_french_way(client, market):
    for cents in (999, 1250, 2000, 2001):
        product_in_market(market, title=f"Objet à {cents}", price_cents=cents)

    response = catalogue(client, market, min_price="12,50", max_price="20 €")

    assert sorted(listed_titles(response)) == ["Objet à 1250", "Objet à 2000"]


def test_in_stock_only_hides_sold_items(client, market):
    product_in_market(market, title="Disponible", stock=1)
    product_in_market(market, title="Parti", stock=0)

    everything = catalogue(client, market)
    in_stock = catalogue(client, market, in_stock="on")

    assert sorted(listed_titles(everything)) == ["Disponible", "Parti"]
    assert 'class="badge badge--sold">Vendu<' in everything.content.decode()
    assert listed_titles(in_stock) == ["Disponible"]


def test_sorting_by_price_and_by_newest(client, market):
    old = product_in_market(market, title="Ancien", price_cents=500)
    Product.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    product_in_market(market, title="Récent", price_cents=3000)
    product_in_market(market, title="Moyen", price_cents=1000)

    assert listed_titles(catalogue(client, market, sort="price_asc")) == [
        "Ancien", "Moyen", "Récent",
    ]
    assert listed_titles(catalogue(client, market, sort="price_desc")) == [
        "Récent", "Moyen", "Ancien",
    ]
    assert listed_titles(catalogue(client, market, sort="newest"))[-1] == "Ancien"


@pytest.mark.parametrize("typed", ["velo", "VELO", "Vélo", "vélo"])
def test_search_ignores_accents_and_case(client, market, typed):
    product_in_market(market, title="Vélo de ville", slug="velo-de-ville")
    product_in_market(market, title="Théière", slug="theiere")

    response = catalogue(client, market, q=typed)

    assert listed_titles(response) == ["Vélo de ville"]


def test_search_finds_words_in_the_description(client, market):
    product_in_market(
        market, title="Lot de tasses", description="<p>Six tasses en porcelaine de Limoges.</p>"
    )
    product_in_market(market, title="Lot de verres")

    assert listed_titles(catalogue(client, market, q="porcelaine")) == ["Lot de tasses"]


def test_a_search_without_result_says_so(client, market):
    product_in_market(market, title="Vélo")

    html = catalogue(client, market, q="trottinette").content.decode()

    assert "Aucun produit ne correspond à ces critères." in html
    assert "0 produit" in html


def test_an_amount_that_is_not_one_shows_an_error_and_the_other_filters_still_apply(
    client, market
):
    product_in_market(market, title="Neuf", condition=Product.Condition.NEW)
    product_in_market(market, title="Usé", condition=Product.Condition.FAIR)

    response = catalogue(client, market, min_price="abc", condition="new")

    html = response.content.decode()
    assert "Saisissez un montant en euros, par exemple 12,50." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_min_price_error"' in html
    assert listed_titles(response) == ["Neuf"]


def test_a_minimum_above_the_maximum_is_reported_on_the_page(client, market):
    product_in_market(market, title="Objet", price_cents=1500)

    response = catalogue(client, market, min_price="30", max_price="10")

    html = response.content.decode()
    assert "Le prix maximum doit être au moins égal au prix minimum." in html
    assert "Certains filtres n’ont pas pu être appliqués" in html
    assert listed_titles(response) == []  # the valid minimum (30 €) still applies


@pytest.mark.parametrize(
    "params",
    [
        {"vendor": "inconnu"},
        {"category": "nope"},
        {"condition": "broken"},
        {"sort": "random"},
        {"min_price": "1e400"},
        {"max_price": "-3"},
        {"min_price": "NaN"},
        {"q": "x" * 500},
    ],
)
def test_bad_parameters_give_a_clear_error_never_a_server_error(client, market, params):
    product_in_market(market, title="Objet")

    response = catalogue(client, market, **params)

    assert 'class="field-error"' in response.content.decode()


def test_products_of_a_suspended_vendor_vanish(client, market):
    product_in_market(market, title="Visible")
    hidden = product_in_market(market, title="Caché")
    Vendor.objects.filter(pk=hidden.vendor_id).update(status=Vendor.Status.SUSPENDED)

    html = catalogue(client, market).content.decode()

    assert listed_titles(catalogue(client, market)) == ["Visible"]
    assert hidden.vendor.name not in html


def test_products_of_vendors_not_approved_in_this_market_are_not_listed(client, market):
    product_in_market(market, title="Visible")
    pending = product_in_market(market, title="En attente")
    pending.vendor.participations.update(state="applied")
    product_in_market(MarketPageFactory(), title="Ailleurs")
    product_in_market(market, title="Retiré", is_active=False)

    assert listed_titles(catalogue(client, market)) == ["Visible"]


class TestPagination:
    @pytest.fixture
    def products(self, market):
        return [product_in_market(market, title=f"Objet {n:02d}", price_cents=100 + n)
                for n in range(30)]

    def test_a_page_holds_24_products_and_the_next_page_the_rest(self, client, market, products):
        first = catalogue(client, market, sort="price_asc")
        second = catalogue(client, market, sort="price_asc", page="2")

        assert len(listed_titles(first)) == 24
        assert listed_titles(second) == [f"Objet {n:02d}" for n in range(24, 30)]
        html = second.content.decode()
        assert '<nav class="pagination" aria-label="Pagination">' in html
        assert 'href="?sort=price_asc&amp;page=2" aria-current="page"' in html

    def test_pagination_links_keep_the_filters(self, client, market, products):
        html = catalogue(client, market, q="objet", in_stock="on").content.decode()

        assert 'href="?q=objet&amp;in_stock=on&amp;page=2"' in html

    @pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", ""])
    def test_a_page_that_is_not_a_number_of_the_list_leads_to_the_first(
        self, client, market, products, page
    ):
        response = client.get(market.url, {"q": "objet", "page": page})

        assert response.status_code == 302
        assert response["Location"] == f"{market.url}?q=objet"

    def test_a_page_past_the_end_leads_to_the_last(self, client, market, products):
        response = client.get(market.url, {"sort": "price_asc", "page": "99"})

        assert response.status_code == 302
        assert response["Location"] == f"{market.url}?sort=price_asc&page=2"
        assert client.get(response["Location"]).status_code == 200

    def test_an_empty_catalogue_has_one_page(self, client, market):
        response = client.get(market.url, {"page": "3"})

        assert response.status_code == 302
        assert catalogue(client, market).status_code == 200


class TestMarketsThatAreNotOpen:
    def test_an_upcoming_market_shows_when_it_opens_and_its_products(self, client):
        opens = timezone.make_aware(timezone.datetime(2030, 11, 21, 10, 0))
        closes = timezone.make_aware(timezone.datetime(2030, 12, 24, 19, 0))
        market = MarketPageFactory(opens_at=opens, closes_at=closes)
        product_in_market(market, title="Crèche en bois")

        html = catalogue(client, market).content.decode()

        assert "À venir" in html
        assert "Du 21 novembre au 24 décembre 2030" in html
        assert "Ce marché ouvre le 21 novembre 2030 à 10:00" in html
        assert "Crèche en bois" in html

    def test_a_closed_market_says_nothing_can_be_bought(self, client):
        market = MarketPageFactory(
            opens_at=timezone.now() - timedelta(days=40),
            closes_at=timezone.now() - timedelta(days=10),
        )
        product_in_market(market, title="Objet")

        html = catalogue(client, market).content.decode()

        assert "Clos" in html
        assert "Ce marché est fermé : plus rien ne peut y être acheté." in html

    def test_a_paused_market_says_sales_are_paused(self, client):
        market = MarketPageFactory(is_paused=True)

        html = catalogue(client, market).content.decode()

        assert "Les ventes sont suspendues pour le moment." in html

    def test_an_open_market_shows_no_warning(self, client, market):
        html = catalogue(client, market).content.decode()

        assert 'class="notice' not in html
        assert "Ouvert" in html

"""Shop search: what a shopper types finds the items they mean, best first.

Each behaviour is checked twice: with PostgreSQL's full-text search (when the suite runs on
PostgreSQL) and with the plain search that serves the SQLite demo, so the two agree on what
comes first. Keeping the index current is PostgreSQL's (its triggers): those tests are
marked `postgres`.
"""

import pytest
from django.db import connection

from shop.catalogue import search as search_module
from shop.catalogue.selectors import CatalogueQuery, Sort, catalogue_products
from shop.models import Category
from tests.factories import MarketPageFactory, VendorFactory, category, product_in_market

pytestmark = pytest.mark.django_db


def search(market, q: str, **query) -> list[str]:
    products = catalogue_products(market=market, query=CatalogueQuery(q=q, **query))
    return [product.title for product in products]


@pytest.fixture(params=["database", "plain"])
def market(request, monkeypatch):
    if request.param == "plain":
        monkeypatch.setattr(search_module, "full_text_available", lambda: False)
    return MarketPageFactory()


def sell(market, title: str, slug: str = "vaisselle", **fields):
    return product_in_market(market, title=title, category=category(slug), **fields)


def test_velo_finds_bicycles_and_leaves_velvet_out(market):
    sell(market, "Robe de soirée en velours", "vetements-femme")
    for title in ("Vélo de ville", "Vélo enfant 16 pouces", "Vélo pliant"):
        sell(market, title, "velos")

    assert sorted(search(market, "velo")) == [
        "Vélo de ville", "Vélo enfant 16 pouces", "Vélo pliant",
    ]


def test_relevance_puts_title_then_category_then_vendor_then_description(market):
    sell(market, "Sacoche", "velos", description="<p>Se fixe sur un porte-bagages.</p>")
    sell(market, "Panier en osier", "vaisselle", description="<p>Se fixe à un vélo.</p>")
    sell(market, "Pompe à pied", "sport", vendor=VendorFactory(name="Atelier du vélo"))
    sell(market, "Vélo de course", "velos")

    assert search(market, "velo") == [
        "Vélo de course", "Sacoche", "Pompe à pied", "Panier en osier",
    ]


def test_a_title_and_category_match_outranks_a_title_match_alone(market):
    sell(market, "Vélo pliant", "velos")
    sell(market, "Casque de vélo", "sport")

    assert search(market, "velo") == ["Vélo pliant", "Casque de vélo"]


def test_best_match_and_newest_first_order_differently(market):
    sell(market, "Vélo de ville", "velos")
    sell(market, "Casque de vélo", "sport")

    assert search(market, "velo", sort=Sort.RELEVANCE) == ["Vélo de ville", "Casque de vélo"]
    assert search(market, "velo", sort=Sort.NEWEST) == ["Casque de vélo", "Vélo de ville"]


def test_equal_matches_come_newest_first(market):
    for title in ("Vélo bleu", "Vélo rouge", "Vélo vert"):
        sell(market, title, "sport")

    assert search(market, "velo") == ["Vélo vert", "Vélo rouge", "Vélo bleu"]


def test_category_names_are_searched(market):
    sell(market, "Garage en bois avec voitures", "jouets")
    sell(market, "Poupée de chiffon", "jouets")
    sell(market, "Carafe en verre", "vaisselle")

    assert sorted(search(market, "jouet")) == ["Garage en bois avec voitures", "Poupée de chiffon"]
    assert sorted(search(market, "Jouets")) == ["Garage en bois avec voitures", "Poupée de chiffon"]


def test_singular_and_plural_find_each_other(market):
    sell(market, "Bague en argent", "bijoux")
    sell(market, "Vélo pliant", "sport")

    assert search(market, "bijou") == ["Bague en argent"]
    assert search(market, "velos") == ["Vélo pliant"]


def test_noel_finds_noel_without_its_accent(market):
    sell(market, "Crèche en bois", "decorations-noel")
    sell(market, "Sapin de Noël en palette", "decorations-noel")
    sell(market, "Nappe brodée", "linge-de-maison")

    assert search(market, "noel") == ["Sapin de Noël en palette", "Crèche en bois"]


def test_a_typo_finds_the_item_when_nothing_matches_exactly(market):
    sell(market, "Théière en fonte émaillée", "cuisine")
    sell(market, "Thé vert en vrac", "epicerie-sucree")
    sell(market, "Théâtre de marionnettes", "jouets")

    assert search(market, "theiere") == ["Théière en fonte émaillée"]
    assert search(market, "theire") == ["Théière en fonte émaillée"]


def test_a_lone_exact_match_comes_before_close_spellings(market):
    sell(market, "Coussin en velours", "decoration")
    sell(market, "Vélo pliant", "velos")

    assert search(market, "velo") == ["Vélo pliant", "Coussin en velours"]


def test_close_spellings_stay_within_the_filters(market):
    sell(market, "Théière en fonte", "cuisine", price_cents=4000)
    sell(market, "Théière en porcelaine", "vaisselle", price_cents=1500)

    assert search(market, "theire", max_price_cents=2000) == ["Théière en porcelaine"]


def test_words_that_match_nothing_find_nothing(market):
    sell(market, "Vélo de ville", "velos")

    assert search(market, "trombone") == []
    assert search(market, "le") == []


@pytest.mark.postgres
class TestTheIndexFollowsChanges:
    @pytest.fixture
    def market(self):
        return MarketPageFactory()

    def test_renaming_a_category_renames_it_in_its_products_search(self, market):
        sell(market, "Jeu d'échecs", "jeux-de-societe")
        sell(market, "Carafe en verre", "vaisselle")

        Category.objects.filter(slug="jeux-de-societe").update(name="Casse-tête")

        assert search(market, "casse-tete") == ["Jeu d'échecs"]
        assert search(market, "societe") == []

    def test_renaming_a_parent_category_reaches_its_childrens_products(self, market):
        sell(market, "Poupée de chiffon", "jouets")
        parent = category("jouets").parent

        parent.name = "Ludothèque"
        parent.save()

        assert search(market, "ludotheque") == ["Poupée de chiffon"]

    def test_renaming_a_vendor_renames_it_in_its_products_search(self, market):
        vendor = VendorFactory(name="Atelier Rustine")
        sell(market, "Pompe à pied", "sport", vendor=vendor)

        vendor.name = "Cyclofficine"
        vendor.save()

        assert search(market, "cyclofficine") == ["Pompe à pied"]
        assert search(market, "rustine") == []

    def test_moving_a_product_to_another_category_moves_its_search(self, market):
        product = sell(market, "Boîte en fer", "vaisselle")

        product.category = category("jouets")
        product.save()

        assert search(market, "jouet") == ["Boîte en fer"]
        assert search(market, "vaisselle") == []

    def test_the_search_columns_are_indexed(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'shop_product'"
            )
            indexes = dict(cursor.fetchall())

        assert "USING gin (search_vector)" in indexes["product_search_vector"]
        assert "USING gin (search_text gin_trgm_ops)" in indexes["product_search_text_trgm"]

"""Searching the demo's open market finds what a shopper means first, on PostgreSQL (full
text) as on the SQLite of `make run` (plain search).

The demo is loaded once for the module inside a transaction rolled back at the end.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from cms.demo.data import OPEN_MARKET
from cms.models import MarketPage
from shop.catalogue.selectors import CatalogueQuery, catalogue_products

pytestmark = pytest.mark.django_db

BICYCLES = {
    "Vélo de ville reconditionné 28 pouces", "Vélo enfant 16 pouces", "Vélo pliant reconditionné",
}
TOYS = {
    "Garage en bois avec voitures", "Poupée de chiffon", "Circuit de billes en bois",
    "Vingt petites voitures",
}
TEAPOTS = {"Théière en fonte émaillée", "Théière et quatre tasses en porcelaine"}


@pytest.fixture(scope="module")
def market(django_db_setup, django_db_blocker, tmp_path_factory):
    media_root = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media_root), DEBUG=False),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=io.StringIO())
        yield MarketPage.objects.get(slug=OPEN_MARKET)
        transaction.set_rollback(True)


def search(market, q: str) -> list[str]:
    products = catalogue_products(market=market, query=CatalogueQuery(q=q))
    return [product.title for product in products]


def test_velo_finds_the_bicycles_first_then_a_helmet_then_their_accessories(market):
    found = search(market, "velo")

    assert set(found[:3]) == BICYCLES
    assert found[3] == "Casque de vélo adulte"
    assert {"Antivol en U", "Sacoche de porte-bagages"} <= set(found[4:])
    assert not any("velours" in title for title in found)


def test_jouet_finds_the_toys_first_then_the_games(market):
    found = search(market, "jouet")

    assert set(found[:4]) == TOYS
    assert "Jeu d'échecs en bois" in found[4:]


def test_noel_finds_the_christmas_decorations(market):
    found = search(market, "noel")

    assert set(found[:2]) == {"Sapin de Noël en bois de palette",
                              "Boules de Noël en verre soufflé, lot de six"}
    assert {"Crèche en bois de récupération", "Couronne de porte en tissus recyclés"} <= set(found)


@pytest.mark.parametrize("q", ["theiere", "Théière", "theire"])
def test_theiere_even_misspelt_finds_the_teapots(market, q):
    assert set(search(market, q)[:2]) == TEAPOTS


def test_the_market_page_shows_the_bicycles_first_sorted_by_best_match(client, market):
    response = client.get(market.url, {"q": "velo"})

    page = response.content.decode()
    assert response.status_code == 200
    assert '<option value="relevance" selected>Pertinence</option>' in page
    helmet = page.index("Casque de vélo adulte")
    assert all(page.index(title) < helmet for title in BICYCLES)
    assert "Robe de soirée en velours" not in page

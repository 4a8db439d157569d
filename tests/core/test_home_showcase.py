"""The home page shows the open market's newest products and the projects it supports."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    MarketPageFactory,
    ProductImageFactory,
    SolidarityProjectPageFactory,
    product_in_market,
)

pytestmark = pytest.mark.django_db


def open_market_with_products(count: int):
    market = MarketPageFactory(title="Marché de Noël solidaire")
    products = []
    for number in range(count):
        product = product_in_market(market, title=f"Objet numéro {number:02d}",
                                    slug=f"objet-{number}")
        ProductImageFactory(product=product, alt_text=f"Photo de l'objet {number:02d}")
        products.append(product)
    project = SolidarityProjectPageFactory(title="Un toit pour l'hiver")
    market.solidarity_projects.add(project)
    market.save_revision().publish()
    return market, products


def test_the_home_page_shows_the_eight_newest_products_of_the_open_market(
        client, django_assert_max_num_queries):
    market, products = open_market_with_products(10)

    client.get("/")  # the thumbnails are made on the first visit
    # Markets, the products with their images and renditions, holds, projects and amounts.
    with django_assert_max_num_queries(22):
        html = client.get("/").content.decode()

    assert "Nouveautés du Marché de Noël solidaire" in html
    for product in products[2:]:
        assert product.title in html
        assert f'alt="Photo de l\'objet {product.title[-2:]}"'.replace("'", "&#x27;") in html
    for product in products[:2]:
        assert product.title not in html
    assert "Voir tous les produits du marché" in html
    assert "Ajouter au panier" in html


def test_the_home_page_shows_the_projects_of_the_open_market_with_what_they_raised(client):
    open_market_with_products(1)

    html = client.get("/").content.decode()

    assert "Vos achats soutiennent" in html
    assert "Un toit pour l&#x27;hiver" in html
    assert re.search(r"0,00.{0,8}€ collectés", html)


def test_without_an_open_market_the_home_page_shows_no_products(client):
    closed = MarketPageFactory(opens_at=timezone.now() - timedelta(days=60),
                               closes_at=timezone.now() - timedelta(days=30))
    product_in_market(closed, title="Objet d'un marché fermé")

    html = client.get("/").content.decode()

    assert "Objet d&#x27;un marché fermé" not in html
    assert "Nouveautés" not in html

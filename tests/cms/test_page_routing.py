"""Addresses lead to the same pages, unpublished or private ones included, now that the home
page finds the deepest page of an address in one query."""

import pytest
from wagtail.models import PageViewRestriction

from cms.models import StandardPage
from tests.factories import (
    MarketPageFactory,
    home_page,
    product_in_market,
    product_url,
    vendor_url,
)

pytestmark = pytest.mark.django_db


def test_market_pages_and_their_routes_are_found(client):
    market = MarketPageFactory()
    product = product_in_market(market, title="Théière en fonte")

    assert client.get(market.url).status_code == 200
    assert "Théière en fonte" in client.get(product_url(market, product)).content.decode()
    assert client.get(vendor_url(market, product.vendor)).status_code == 200
    assert client.get(market.get_parent().url).status_code == 200
    assert client.get(f"{market.url}pas-une-route/").status_code == 404
    assert client.get("/pas-une-page/du-tout/").status_code == 404


def test_nested_content_pages_are_found():
    from django.test import Client

    about = StandardPage(title="À propos", slug="a-propos")
    home_page().add_child(instance=about)
    team = StandardPage(title="L'équipe", slug="equipe")
    about.add_child(instance=team)

    response = Client().get("/a-propos/equipe/")

    assert response.status_code == 200
    assert "L&#x27;équipe" in response.content.decode()


def test_an_unpublished_market_is_not_found(client):
    market = MarketPageFactory()
    url = market.url
    market.unpublish()

    assert client.get(url).status_code == 404


def test_a_password_on_the_organisers_space_still_guards_its_market(client):
    # Given an organiser's space behind a password,
    market = MarketPageFactory()
    product = product_in_market(market)
    PageViewRestriction.objects.create(
        page=market.get_parent(), restriction_type=PageViewRestriction.PASSWORD,
        password="secret",  # noqa: S106
    )

    # when a visitor opens the market or one of its products,
    for url in (market.url, product_url(market, product)):
        response = client.get(url)

        # then they are asked for the password and see nothing of the market.
        assert response.status_code == 200
        assert 'name="password"' in response.content.decode()
        assert product.title not in response.content.decode()

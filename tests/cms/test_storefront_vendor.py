import re

import pytest

from tests.factories import (
    MarketPageFactory,
    ParticipationFactory,
    VendorFactory,
    product_in_market,
    product_url,
    vendor_url,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    return MarketPageFactory()


def listed_titles(html: str) -> list[str]:
    return re.findall(r'class="product-card__title"><a href="[^"]+">([^<]+)</a>', html)


def test_the_vendor_page_presents_the_vendor_and_its_products_in_this_market(client, market):
    vendor = VendorFactory(
        name="Emmaüs Bouguenais", legal_form=Vendor.LegalForm.ASSOCIATION, rna="W442000123",
        address="2 rue du Port", postcode="44340", city="Bouguenais",
        description="<p>Une communauté <b>solidaire</b>.</p>",
    )
    product = product_in_market(market, vendor=vendor, title="Buffet en chêne")
    product_in_market(market, title="Autre exposant")

    response = client.get(vendor_url(market, vendor))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Emmaüs Bouguenais</h1>" in html
    assert "Une communauté <b>solidaire</b>." in html
    assert "Association" in html
    assert "W442000123" in html
    assert "2 rue du Port, 44340 Bouguenais" in html
    assert listed_titles(html) == ["Buffet en chêne"]
    assert f'href="{product_url(market, product)}"' in html


def test_the_vendor_page_is_paginated_by_24(client, market):
    vendor = VendorFactory()
    for n in range(25):
        product_in_market(market, vendor=vendor, title=f"Objet {n}")

    first = client.get(vendor_url(market, vendor)).content.decode()
    second = client.get(vendor_url(market, vendor), {"page": "2"}).content.decode()

    assert len(listed_titles(first)) == 24
    assert len(listed_titles(second)) == 1
    assert 'aria-label="Pagination"' in first
    assert client.get(vendor_url(market, vendor), {"page": "x"}).status_code == 302


def test_a_vendor_without_products_says_so(client, market):
    vendor = ParticipationFactory(market=market).vendor

    html = client.get(vendor_url(market, vendor)).content.decode()

    assert "Cet exposant n’a encore aucun produit en vente sur ce marché." in html


def test_vendors_not_approved_in_this_market_or_suspended_are_not_found(client, market):
    suspended = ParticipationFactory(market=market).vendor
    Vendor.objects.filter(pk=suspended.pk).update(status=Vendor.Status.SUSPENDED)
    applied = ParticipationFactory(market=market, state="applied").vendor
    elsewhere = ParticipationFactory().vendor

    for vendor in (suspended, applied, elsewhere):
        assert client.get(vendor_url(market, vendor)).status_code == 404
    assert client.get(market.url + "exposants/inconnu/").status_code == 404


def test_the_catalogue_links_to_each_vendor_of_the_market(client, market):
    vendor = ParticipationFactory(market=market).vendor

    html = client.get(market.url).content.decode()

    assert f'<a href="{vendor_url(market, vendor)}">{vendor.name}</a>' in html

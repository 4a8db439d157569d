"""Every storefront page stays light on a phone network: its HTML with the style sheets
and scripts it loads (our own files, read as served) weighs under 150 KB, in a market of
120 vendors, a full first page of products and a basket across several vendors. Pictures
are left out: they are sized by renditions and loaded lazily."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import (
    MarketPageFactory,
    ParticipationFactory,
    ProductImageFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    product_in_market,
    product_url,
    vendor_url,
)

pytestmark = pytest.mark.django_db

MAX_PAGE_BYTES = 150 * 1024
VENDORS = 120
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def assets_bytes(html: str) -> int:
    total = 0
    for url in set(ASSET.findall(html)):
        assert url.startswith("/static/"), f"{url} is not served by the site itself"
        path = finders.find(url.removeprefix("/static/").split("?")[0])
        assert path, f"{url} is missing"
        with open(path, "rb") as asset:
            total += len(asset.read())
    return total


def page_bytes(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return len(response.content) + assets_bytes(html)


@pytest.fixture
def market():
    market = MarketPageFactory()
    vendors = [VendorFactory() for _ in range(VENDORS)]
    for vendor in vendors:
        ParticipationFactory(market=market, vendor=vendor)
    project = SolidarityProjectPageFactory()
    market.solidarity_projects.add(project)
    market.save_revision().publish()
    products = [product_in_market(market, vendor=vendors[n % 8], solidarity_bps=1000,
                                  solidarity_project=project) for n in range(30)]
    for product in products[:24]:
        ProductImageFactory(product=product)
    return market, products, vendors, project


def test_every_storefront_page_weighs_under_150_kb(client, market):
    market, products, vendors, project = market
    for product in products[:4]:
        client.post(reverse("shop:basket_add"), {"market": market.pk, "product": product.pk})
    pages = ["/", market.url, f"{market.url}?q=objet", f"{market.url}?page=2",
             product_url(market, products[0]), vendor_url(market, vendors[0]), project.url,
             reverse("shop:basket"), reverse("shop:checkout_contact")]

    weights = {url: page_bytes(client, url) for url in pages}

    # The files a page loads count: the site's style sheet at least.
    assert assets_bytes(client.get(market.url).content.decode()) > 15_000
    heavy = {url: weight for url, weight in weights.items() if weight > MAX_PAGE_BYTES}
    assert not heavy, f"pages over {MAX_PAGE_BYTES} bytes: {heavy}"

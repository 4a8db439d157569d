import re

import pytest
from django.utils import timezone

from shop.models import Product
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
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    return MarketPageFactory()


def page_of(client, market, product) -> str:
    response = client.get(product_url(market, product))
    assert response.status_code == 200
    return response.content.decode()


def test_the_product_page_shows_price_condition_category_and_description(client, market):
    product = product_in_market(
        market, title="Vélo de ville", price_cents=8900, condition=Product.Condition.GOOD,
        description="<p>Révisé par notre atelier.</p>",
    )

    html = page_of(client, market, product)

    assert "<h1>Vélo de ville</h1>" in html
    assert "89,00\xa0€" in html
    assert "Bon état" in html
    assert "Vaisselle et arts de la table" in html
    assert "Révisé par notre atelier." in html


def test_the_gallery_serves_webp_renditions_with_sizes_and_lazy_loading_below_the_fold(
    client, market
):
    product = product_in_market(market)
    ProductImageFactory(product=product, alt_text="Vue de face", sort_order=0)
    ProductImageFactory(product=product, alt_text="Vue de dos", sort_order=1)

    html = page_of(client, market, product)

    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 2
    first, second = images
    assert 'alt="Vue de face"' in first and 'alt="Vue de dos"' in second
    for tag in images:
        assert re.search(r'src="[^"]+\.webp"', tag)
        assert re.search(r'srcset="[^"]+\.webp \d+w', tag)
        assert re.search(r'width="\d+"', tag) and re.search(r'height="\d+"', tag)
    assert 'loading="lazy"' not in first
    assert 'loading="lazy"' in second


@pytest.mark.parametrize(
    ("stock", "condition", "expected"),
    [
        (1, Product.Condition.GOOD, "Pièce unique"),
        (3, Product.Condition.NEW, "En stock : 3"),
        (0, Product.Condition.GOOD, "Vendu"),
    ],
)
def test_the_stock_state_is_spelled_out(client, market, stock, condition, expected):
    product = product_in_market(market, stock=stock, condition=condition)

    html = page_of(client, market, product)

    assert expected in html


def test_the_vendor_card_presents_the_vendor_and_links_to_its_page(client, market):
    vendor = VendorFactory(
        name="Coop du Réemploi", legal_form=Vendor.LegalForm.SCIC, city="Rezé",
        is_professional=True,
    )
    product = product_in_market(market, vendor=vendor)

    html = page_of(client, market, product)

    assert "Vendu par Coop du Réemploi" in html
    assert "SCIC" in html
    assert "Rezé" in html
    assert "Vendeur professionnel" in html
    assert f'href="{vendor_url(market, vendor)}"' in html


def test_a_non_professional_seller_is_said_so(client, market):
    product = product_in_market(market, vendor=VendorFactory(is_professional=False))

    assert "Vendeur non professionnel" in page_of(client, market, product)


def test_the_solidarity_share_names_its_fixed_project(client, market):
    project = SolidarityProjectPageFactory(title="Épicerie solidaire")
    product = product_in_market(market, solidarity_bps=2000, solidarity_project=project)

    html = page_of(client, market, product)

    assert re.search(
        r'20\xa0% du prix reversés à <a href="[^"]*epicerie-solidaire/">Épicerie solidaire</a>',
        html,
    )


def test_a_share_without_a_fixed_project_goes_to_the_shoppers_choice(client, market):
    product = product_in_market(market, solidarity_bps=1250)

    html = page_of(client, market, product)

    assert "12,5\xa0% du prix reversés à un projet solidaire de votre choix" in html


def test_no_solidarity_sentence_without_a_share(client, market):
    product = product_in_market(market, solidarity_bps=0)

    assert "reversés" not in page_of(client, market, product)


def test_a_wrong_slug_redirects_permanently_to_the_canonical_address(client, market):
    product = product_in_market(market, slug="theiere-en-fonte")
    wrong = market.url + market.reverse_subpage(
        "product", kwargs={"slug": "ancien-titre", "pk": product.pk}
    )

    response = client.get(wrong)

    assert response.status_code == 301
    assert response["Location"] == product_url(market, product)


def test_products_not_on_sale_in_this_market_are_not_found(client, market):
    inactive = product_in_market(market, is_active=False)
    suspended = product_in_market(market)
    Vendor.objects.filter(pk=suspended.vendor_id).update(status=Vendor.Status.SUSPENDED)
    pending = product_in_market(market)
    pending.vendor.participations.update(state="applied")
    elsewhere = product_in_market(MarketPageFactory())
    unknown_url = market.url + market.reverse_subpage(
        "product", kwargs={"slug": "nope", "pk": 999999}
    )

    for product in (inactive, suspended, pending, elsewhere):
        assert client.get(product_url(market, product)).status_code == 404
    assert client.get(unknown_url).status_code == 404


def test_a_product_of_a_vendor_approved_in_two_markets_is_on_sale_in_both(client, market):
    product = product_in_market(market)
    other = ParticipationFactory(vendor=product.vendor).market

    assert client.get(product_url(other, product)).status_code == 200


def test_the_product_of_an_upcoming_market_shows_its_dates_and_cannot_be_bought(client):
    market = MarketPageFactory(
        opens_at=timezone.make_aware(timezone.datetime(2030, 11, 21, 10, 0)),
        closes_at=timezone.make_aware(timezone.datetime(2031, 1, 4, 19, 0)),
    )
    product = product_in_market(market)

    html = page_of(client, market, product)

    assert "Du 21 novembre 2030 au 4 janvier 2031" in html
    assert "Ce marché ouvre le 21 novembre 2030 à 10:00" in html
    assert "<form" not in html.split('<main id="main"', 1)[1]


def test_the_product_page_speaks_english_on_request(client, market):
    product = product_in_market(market, price_cents=123456, solidarity_bps=500)

    response = client.get(product_url(market, product), headers={"accept-language": "en"})

    html = response.content.decode()
    assert "€1,234.56" in html
    assert "5% of the price goes to a solidarity project of your choice" in html

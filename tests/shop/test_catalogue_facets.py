"""The catalogue's facets, its bounded counts and its compact vendor filter."""

import pytest

from markets.models import MarketParticipation
from shop.catalogue.facets import catalogue_facets, market_vendor_choices
from shop.catalogue.pagination import PAGES_AHEAD
from shop.catalogue.selectors import PAGE_SIZE
from shop.catalogue.services import products_set_active
from shop.models import Product
from tests.factories import (
    MarketPageFactory,
    ParticipationFactory,
    ProductFactory,
    VendorFactory,
    category,
    product_in_market,
)
from vendors.services import vendor_suspend

pytestmark = pytest.mark.django_db


def test_facets_list_what_the_market_sells_and_nothing_else():
    # Given products on sale in two sub-categories of « Maison » and one of « Sport »,
    market = MarketPageFactory()
    on_sale = [
        product_in_market(market, category=category("vaisselle"), condition="good",
                          price_cents=300),
        product_in_market(market, category=category("decoration"), condition="new",
                          price_cents=9000),
        product_in_market(market, category=category("velos"), condition="fair",
                          price_cents=4500),
    ]
    # and products that are not on sale there: inactive, another market's, a vendor
    # whose application is pending, a suspended vendor.
    off_sale = product_in_market(market, category=category("livres"), is_active=False,
                                 price_cents=1)
    product_in_market(MarketPageFactory(), category=category("jouets"), price_cents=2)
    pending = VendorFactory()
    ParticipationFactory(market=market, vendor=pending,
                         state=MarketParticipation.State.APPLIED)
    ProductFactory(vendor=pending, category=category("films"), price_cents=3)
    suspended = product_in_market(market, category=category("bijoux"), price_cents=4)
    vendor_suspend(vendor=suspended.vendor)

    # When the facets are read,
    facets = catalogue_facets(market=market)

    # then they hold the three products on sale, their categories under their parents in
    # the categories' order, their conditions and their price range.
    assert facets.total == 3
    assert [(top.slug, [slug for slug, _label in top.children]) for top in facets.categories] == [
        ("maison", ["vaisselle", "decoration"]), ("sport-loisirs", ["velos"]),
    ]
    assert facets.categories[0].children[0][1] == "Maison › Vaisselle et arts de la table"
    assert facets.conditions == ("fair", "good", "new")
    assert (facets.min_price_cents, facets.max_price_cents) == (300, 9000)
    # The vendor filter offers the approved vendors (with or without products on sale), by
    # name: not the pending one, not the suspended one.
    sellers = sorted((product.vendor for product in [*on_sale, off_sale]),
                     key=lambda vendor: vendor.name)
    assert [choice.slug for choice in market_vendor_choices(market=market)] == [
        vendor.slug for vendor in sellers]


def test_facets_follow_every_change_of_the_catalogue():
    market = MarketPageFactory()
    first = product_in_market(market, category=category("vaisselle"))
    assert catalogue_facets(market=market).total == 1

    # A product saved, one taken off sale in bulk, a vendor suspended: each shows at once.
    second = product_in_market(market, category=category("velos"))
    assert catalogue_facets(market=market).total == 2
    products_set_active(products=Product.objects.filter(pk=first.pk), active=False)
    assert [top.slug for top in catalogue_facets(market=market).categories] == [
        "sport-loisirs"]
    vendor_suspend(vendor=second.vendor)
    assert catalogue_facets(market=market).total == 0
    assert [choice.slug for choice in market_vendor_choices(market=market)] == [
        first.vendor.slug]


def test_a_cached_catalogue_costs_no_query_for_its_facets(django_assert_num_queries):
    market = MarketPageFactory()
    product_in_market(market)
    catalogue_facets(market=market)
    market_vendor_choices(market=market)

    with django_assert_num_queries(0):
        catalogue_facets(market=market)
        market_vendor_choices(market=market)


def many_products(market, count: int, **kwargs) -> list[Product]:
    vendor = VendorFactory()
    ParticipationFactory(market=market, vendor=vendor)
    return Product.objects.bulk_create(
        ProductFactory.build(vendor=vendor, slug=f"objet-{n}", title=f"Objet {n}",
                             category=category(), **kwargs)
        for n in range(count)
    )


def test_deep_pages_show_the_right_products_and_the_count_is_bounded(client):
    # Given more products than the count looks ahead from page 1,
    market = MarketPageFactory()
    total = (PAGES_AHEAD + 3) * PAGE_SIZE
    products = many_products(market, total)
    newest_first = sorted(products, key=lambda product: (product.created_at, product.pk),
                          reverse=True)

    # when a shopper filters (so the facets' total does not apply) and opens page 12,
    html = client.get(market.url, {"in_stock": "on", "page": 12}).content.decode()

    # then the page lists products 265 to 288, newest first, and offers the next page;
    shown = newest_first[11 * PAGE_SIZE:12 * PAGE_SIZE]
    assert all(f">{product.title}<" in html for product in shown)
    assert f">{newest_first[12 * PAGE_SIZE].title}<" not in html
    assert 'rel="next"' in html
    # from page 1 the count stops ten pages ahead and says so,
    first = client.get(market.url, {"in_stock": "on"}).content.decode()
    assert f"plus de {(PAGES_AHEAD + 1) * PAGE_SIZE} produits" in first
    # while the whole catalogue is counted exactly, from its facets.
    assert f"{total} produits" in client.get(market.url).content.decode()


def test_a_page_number_far_past_the_end_leads_to_the_last_page(client):
    market = MarketPageFactory()
    many_products(market, PAGE_SIZE + 1)

    response = client.get(market.url, {"in_stock": "on", "page": "9" * 30})

    assert response.status_code == 302
    assert response["Location"].endswith("page=2")


def test_the_vendor_filter_is_one_select_and_narrows_the_list(client):
    market = MarketPageFactory()
    mine = product_in_market(market, title="Théière de Lucie")
    other = product_in_market(market, title="Lampe de Marc")

    page = client.get(market.url).content.decode()
    filtered = client.get(market.url, {"vendor": mine.vendor.slug}).content.decode()
    wrong = client.get(market.url, {"vendor": "inconnu"})

    # The select is labelled and offers every vendor once, the chosen one selected.
    assert '<label for="id_vendor">' in page
    assert page.count(f'<option value="{other.vendor.slug}">') == 1
    assert f'<option value="{mine.vendor.slug}" selected>' in filtered
    assert "Théière de Lucie" in filtered and "Lampe de Marc" not in filtered
    # The vendors' own pages are still linked from the catalogue.
    assert f'href="{market.url}exposants/{mine.vendor.slug}/"' in page
    # A vendor outside the market is an error on the page, not a 500.
    assert wrong.status_code == 200
    assert "Cet exposant ne vend pas sur ce marché." in wrong.content.decode()

import pytest

from shop.catalogue.selectors import CatalogueQuery, Sort, catalogue_products, products_on_sale
from tests.factories import MarketPageFactory, ParticipationFactory, product_in_market
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def titles(queryset):
    return [product.title for product in queryset]


def test_search_ignores_accents_and_case():
    market = MarketPageFactory()
    product_in_market(market, title="Vélo de ville Peugeot", slug="velo")
    product_in_market(market, title="Théière en fonte", slug="theiere")

    assert titles(catalogue_products(market=market, query=CatalogueQuery(q="velo"))) == [
        "Vélo de ville Peugeot"
    ]
    assert titles(catalogue_products(market=market, query=CatalogueQuery(q="THEIERE"))) == [
        "Théière en fonte"
    ]


def test_suspended_vendors_and_unapproved_participations_vanish():
    market = MarketPageFactory()
    visible = product_in_market(market, title="Visible")
    suspended = product_in_market(market, title="Suspendu")
    suspended.vendor.status = Vendor.Status.SUSPENDED
    suspended.vendor.save()
    pending = product_in_market(market, title="En attente")
    pending.vendor.participations.update(state="applied")
    elsewhere = ParticipationFactory()  # another market
    product_in_market(elsewhere.market, title="Ailleurs")

    assert titles(products_on_sale(market=market)) == [visible.title]


def test_price_sorts_are_stable():
    market = MarketPageFactory()
    for price in (300, 100, 200):
        product_in_market(market, title=f"P{price}", price_cents=price)

    ascending = catalogue_products(market=market, query=CatalogueQuery(sort=Sort.PRICE_ASC))
    descending = catalogue_products(market=market, query=CatalogueQuery(sort=Sort.PRICE_DESC))

    assert titles(ascending) == ["P100", "P200", "P300"]
    assert titles(descending) == ["P300", "P200", "P100"]

"""A market like the demo's, small: open, three vendors (one ships), a pick-up point with
slots and another without, a solidarity project, and products whose share the shopper
assigns."""

from dataclasses import dataclass
from datetime import timedelta

from cms.models import MarketPage
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    PickupSlotFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    product_in_market,
)


@dataclass
class ChristmasMarket:
    market: MarketPage
    project_title: str
    teapot: str
    jam: str
    bike: str


def christmas_market() -> ChristmasMarket:
    market = MarketPageFactory(
        title="Marché de Noël solidaire de l'île de Nantes",
        slug="marche-de-noel", shipping_allowed=True)
    hall = PickupPointFactory(
        market=market, name="Halle de la Madeleine, entrée côté quai",
        address="12 rue de la Madeleine, bâtiment des associations, rez-de-chaussée",
        opening_hours="Du mercredi au samedi, 10 h – 19 h\nLe dimanche, 10 h – 13 h")
    first = PickupSlotFactory(point=hall)
    PickupSlotFactory(point=hall, starts_at=first.starts_at + timedelta(hours=2),
                      ends_at=first.ends_at + timedelta(hours=2))
    PickupSlotFactory(point=hall, starts_at=first.starts_at + timedelta(days=1),
                      ends_at=first.ends_at + timedelta(days=1))
    PickupPointFactory(market=market, name="Maison des associations de Rezé, accueil",
                       address="3 place de la Solidarité", postcode="44400", city="Rezé")
    project = SolidarityProjectPageFactory(
        title="Des vélos pour l'insertion", beneficiary="Atelier Vélo Solidaire de Nantes")
    market.solidarity_projects.add(project)
    market.save_revision().publish()

    ressourcerie = VendorFactory(name="Ressourcerie de l'Île", slug="ressourcerie-ile")
    epicerie = VendorFactory(name="Épicerie coopérative des Quais", slug="epicerie-quais",
                             is_professional=True, ships=True, shipping_fee_cents=490)
    atelier = VendorFactory(name="Atelier Vélo Solidaire", slug="atelier-velo")
    teapot = product_in_market(market, vendor=ressourcerie, title="Théière en fonte",
                               slug="theiere", price_cents=1850, stock=1, solidarity_bps=2000)
    jam = product_in_market(market, vendor=epicerie, title="Confiture de figues",
                            slug="confiture", price_cents=590, stock=10)
    bike = product_in_market(market, vendor=atelier, title="Vélo de ville révisé",
                             slug="velo", price_cents=8500, stock=1)
    return ChristmasMarket(market=market, project_title=project.title, teapot=teapot.title,
                           jam=jam.title, bike=bike.title)

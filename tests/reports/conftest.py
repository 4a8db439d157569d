import pytest

from markets.services import organiser_member_add
from shop.orders.services import order_lines_cancel
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    ProductFactory,
    SolidarityProjectPageFactory,
    UserFactory,
    VendorFactory,
    paid_checkout,
)
from vendors.services import vendor_member_add


class Fair:
    """A market of one organiser: two vendors, a project, three paid checkouts (one with
    a donation), one unit cancelled."""

    def __init__(self, code: str):
        self.index = MarketIndexPageFactory(title=f"Réseau {code}")
        self.organiser = UserFactory(username=f"orga-{code}")
        organiser_member_add(organiser=self.index.organiser, user=self.organiser,
                             index_page=self.index)
        self.market = MarketPageFactory(parent=self.index, title=f"Marché {code}",
                                        commission_bps=1000)
        self.project = SolidarityProjectPageFactory(parent=self.index, title=f"Épicerie {code}")
        self.market.solidarity_projects.add(self.project)
        self.market.save()
        self.vendors, self.members, products = [], [], []
        for name in ("Ateliers", "Bouquinerie"):
            vendor = VendorFactory(name=f"{name} {code}", slug=f"{name.lower()}-{code.lower()}")
            member = UserFactory(username=f"{name.lower()}-{code.lower()}")
            vendor_member_add(vendor=vendor, user=member)
            self.vendors.append(vendor)
            self.members.append(member)
            products.append(ProductFactory(vendor=vendor, price_cents=1250, stock=20,
                                           solidarity_bps=1000,
                                           solidarity_project=self.project))
        self.checkouts = [
            paid_checkout([(products[0], 2), (products[1], 1)], market=self.market),
            paid_checkout([(products[0], 1)], market=self.market,
                          chosen_project=self.project, donation_cents=300),
            paid_checkout([(products[1], 3)], market=self.market),
        ]
        order = self.checkouts[2].orders.get()
        order_lines_cancel(order=order, quantities={order.lines.get().pk: 1})

    def participation(self, vendor):
        return self.market.participations.get(vendor=vendor)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def fair(db, private_media):
    return Fair("A")


@pytest.fixture
def other_fair(db, private_media):
    return Fair("B")

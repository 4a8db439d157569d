import pytest
from django.test import Client

from tests.factories import MarketPageFactory, product_in_market, reserved_checkout

ACCEPTED = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"


def card(number: str = ACCEPTED, expiry: str = "12/39", security_code: str = "123") -> dict:
    return {"card_number": number, "expiry": expiry, "security_code": security_code}


class Shop:
    """An open market with two vendors, and a shopper whose basket holds one product of
    each, reserved for the shopper's browser session."""

    def __init__(self, client: Client):
        self.market = MarketPageFactory(commission_bps=500)
        self.bowl = product_in_market(self.market, title="Bol en grès", price_cents=1850,
                                      stock=3)
        self.lamp = product_in_market(self.market, title="Lampe restaurée", price_cents=4500,
                                      stock=1)
        self.client = client
        self.checkout = reserved_checkout(
            self.market, [(self.bowl, 2), (self.lamp, 1)],
            session_key=client.session.session_key,
        )

    @property
    def pay_url(self) -> str:
        return f"/paiement/{self.checkout.reference}/"

    @property
    def return_url(self) -> str:
        return f"/paiement/{self.checkout.reference}/merci/"


@pytest.fixture
def shop(db, client) -> Shop:
    return Shop(client)

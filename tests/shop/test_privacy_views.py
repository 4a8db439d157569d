"""« Mes données » through HTTP: the download and the erasure with its confirmation step."""

import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from shop.models import Checkout
from shop.orders.services import order_mark_fulfilled
from tests.factories import ProductFactory, VendorFactory, paid_checkout

pytestmark = pytest.mark.django_db

EMAIL = "lea.durand@example.org"
DATA = reverse("shoppers:data")
DOWNLOAD = reverse("shoppers:data_download")
ERASE = reverse("shoppers:data_erase")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed_in(client, mailoutbox, django_capture_on_commit_callbacks):
    def sign_in():
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("shoppers:orders"), {"email": EMAIL})
        link = re.search(r"http://\S+/mes-commandes/connexion/\S+/", mailoutbox[-1].body)
        assert client.post(urlsplit(link.group(0)).path).status_code == 302
        return client

    return sign_in


def shipped_checkout():
    vendor = VendorFactory(ships=True, shipping_fee_cents=500)
    return paid_checkout([(ProductFactory(vendor=vendor, price_cents=1500), 1)],
                         shipping_vendors=[vendor], email=EMAIL)


def closed_checkout():
    """Paid a month ago, shipped twenty days ago: past the withdrawal period."""
    with time_machine.travel(timezone.now() - timedelta(days=30)) as traveller:
        checkout = shipped_checkout()
        traveller.shift(timedelta(days=10))
        order_mark_fulfilled(order=checkout.orders.get(), tracking_number="6A0042")
    return checkout


@pytest.mark.parametrize("url", [DATA, DOWNLOAD, ERASE])
def test_the_data_pages_need_a_signed_in_session(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("shoppers:orders")


def test_the_download_is_a_json_file_of_the_address_data(signed_in):
    checkout = shipped_checkout()
    client = signed_in()

    response = client.get(DOWNLOAD)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["checkouts"][0]["reference"] == checkout.reference
    assert data["checkouts"][0]["fulfilments"][0]["shipping_address"] == "3 rue des Lilas"


def test_the_data_page_offers_download_and_erasure(signed_in):
    shipped_checkout()
    html = signed_in().get(DATA).content.decode()

    assert "Télécharger mes données" in html
    assert "Effacer mes données" in html


def test_erasure_asks_for_a_confirmation_first(signed_in):
    checkout = closed_checkout()
    client = signed_in()

    page = client.get(ERASE)
    unconfirmed = client.post(ERASE, {})

    assert checkout.reference in page.content.decode()
    assert "Cochez la case" in unconfirmed.content.decode()
    checkout.refresh_from_db()
    assert checkout.email == EMAIL


def test_a_confirmed_erasure_anonymises_and_signs_out(signed_in):
    checkout = closed_checkout()
    client = signed_in()

    response = client.post(ERASE, {"confirm": "on"})

    assert "effacées de 1 commande" in response.content.decode()
    checkout.refresh_from_db()
    assert (checkout.email, checkout.last_name, checkout.phone) == ("", "", "")
    assert client.get(DATA).status_code == 302
    assert "contact" not in str(dict(client.session))


def test_an_order_not_handed_over_is_explained_and_kept(signed_in):
    checkout = shipped_checkout()
    client = signed_in()

    page = client.get(ERASE).content.decode()
    response = client.post(ERASE, {"confirm": "on"})

    assert "Rien ne peut être effacé" in page
    assert "pas encore remise" in page
    assert "Rien n’a été effacé" in response.content.decode()
    assert Checkout.objects.get(pk=checkout.pk).email == EMAIL
    assert client.get(DATA).status_code == 200


def test_the_withdrawal_period_says_from_when_erasure_is_possible(signed_in):
    with time_machine.travel(timezone.now().replace(month=12, day=1, hour=12), tick=False):
        checkout = shipped_checkout()
        order_mark_fulfilled(order=checkout.orders.get(), tracking_number="6A0042")
        html = signed_in().get(ERASE).content.decode()

    assert "délai pendant lequel vous pouvez retourner" in html
    assert "15 décembre" in html

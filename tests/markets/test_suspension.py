"""Suspension is per participation: an organiser suspends a vendor in its own markets only;
a platform admin alone suspends a vendor everywhere. The vendor and the organisers of its
other markets are told by e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from markets.models import MarketParticipation
from markets.services import organiser_member_add
from shop.catalogue.selectors import products_on_sale
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    ParticipationFactory,
    ProductFactory,
    UserFactory,
    VendorFactory,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


class Organiser:
    def __init__(self, name):
        index = MarketIndexPageFactory(title=f"Réseau {name}")
        index.organiser.contact_email = f"contact-{name}@example.org"
        index.organiser.save()
        self.market = MarketPageFactory(parent=index, title=f"Marché {name}")
        self.user = UserFactory(username=f"orga-{name}", email=f"orga-{name}@example.org")
        organiser_member_add(organiser=index.organiser, user=self.user, index_page=index)


@pytest.fixture
def shared(db):
    """A vendor approved in the markets of two organisers."""
    one, two = Organiser("un"), Organiser("deux")
    vendor = VendorFactory(name="Ressourcerie partagée", email="ressourcerie@example.org",
                           status=Vendor.Status.APPROVED)
    for side in (one, two):
        ParticipationFactory(market=side.market, vendor=vendor)
    ProductFactory(vendor=vendor)
    return one, two, vendor


def moderate(client, vendor, status):
    return client.post(reverse("vendors:edit", args=[vendor.pk]), {"status": status})


def test_an_organiser_suspends_a_vendor_in_its_own_markets_only(client, shared,
                                                               django_capture_on_commit_callbacks):
    one, two, vendor = shared
    client.force_login(two.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = moderate(client, vendor, "suspended")

    assert response.status_code == 302
    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.APPROVED
    assert products_on_sale(market=two.market).count() == 0
    assert products_on_sale(market=one.market).count() == 1
    page = client.get(one.market.url + one.market.reverse_subpage(
        "vendor", kwargs={"vendor_slug": vendor.slug}))
    assert page.status_code == 200
    states = dict(MarketParticipation.objects.filter(vendor=vendor)
                  .values_list("market_id", "state"))
    assert states == {one.market.pk: MarketParticipation.State.APPROVED,
                      two.market.pk: MarketParticipation.State.SUSPENDED}


def test_the_vendor_and_the_other_organisers_are_told(client, shared,
                                                      django_capture_on_commit_callbacks):
    one, two, vendor = shared
    client.force_login(two.user)

    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, vendor, "suspended")

    to_vendor = [m for m in mail.outbox if "ressourcerie@example.org" in m.to]
    to_other = [m for m in mail.outbox if "contact-un@example.org" in m.to]
    assert len(to_vendor) == 1 and "Marché deux" in to_vendor[0].body
    assert len(to_other) == 1 and "Ressourcerie partagée" in to_other[0].body
    assert not [m for m in mail.outbox if "contact-deux@example.org" in m.to]


def test_reinstating_puts_the_products_back_in_the_organisers_markets(client, shared):
    one, two, vendor = shared
    client.force_login(two.user)
    moderate(client, vendor, "suspended")

    moderate(client, vendor, "approved")

    assert products_on_sale(market=two.market).count() == 1


def test_a_platform_admin_suspends_a_vendor_everywhere(client, shared, admin_user,
                                                       django_capture_on_commit_callbacks):
    one, two, vendor = shared
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, vendor, "suspended")

    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.SUSPENDED
    assert products_on_sale(market=one.market).count() == 0
    assert products_on_sale(market=two.market).count() == 0
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"ressourcerie@example.org", "contact-un@example.org",
            "contact-deux@example.org"} <= recipients

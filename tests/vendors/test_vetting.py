"""Organisers review applications and moderate vendors, in their own markets only."""

import pytest
from django.contrib.auth.models import Group
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

APPLICATIONS = "applications"
VENDORS = "vendors"


class OrganiserSide:
    def __init__(self, name):
        index = MarketIndexPageFactory(title=f"Réseau {name}", slug=f"reseau-{name}")
        self.market = MarketPageFactory(parent=index, title=f"Marché {name}", slug=f"marche-{name}")
        self.user = UserFactory(username=f"orga-{name}", email=f"orga-{name}@example.org")
        organiser_member_add(organiser=index.organiser, user=self.user, index_page=index)
        self.vendor = VendorFactory(name=f"Candidat {name}", slug=f"candidat-{name}",
                                    status=Vendor.Status.APPLIED)
        self.participation = ParticipationFactory(
            market=self.market, vendor=self.vendor, state=MarketParticipation.State.APPLIED
        )


@pytest.fixture
def orga_a():
    return OrganiserSide("a")


@pytest.fixture
def orga_b():
    return OrganiserSide("b")


def test_an_organiser_sees_the_pending_applications_of_its_markets_only(client, orga_a, orga_b):
    client.force_login(orga_a.user)

    html = client.get(reverse(f"{APPLICATIONS}:index")).content.decode()

    assert "Candidat a" in html
    assert "Candidat b" not in html


@pytest.mark.parametrize("view", ["edit", "inspect"])
def test_another_organisers_application_answers_404(client, orga_a, orga_b, view):
    client.force_login(orga_a.user)

    response = client.get(reverse(f"{APPLICATIONS}:{view}", args=[orga_b.participation.pk]))

    assert response.status_code == 404


def test_approving_an_application_approves_the_vendor_and_emails_it(
    client, orga_a, django_capture_on_commit_callbacks
):
    client.force_login(orga_a.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(f"{APPLICATIONS}:edit", args=[orga_a.participation.pk]),
            {"state": "approved", "message": "Bienvenue !"},
        )

    assert response.status_code == 302
    orga_a.participation.refresh_from_db()
    orga_a.vendor.refresh_from_db()
    assert orga_a.participation.state == "approved"
    assert orga_a.vendor.status == Vendor.Status.APPROVED
    assert [m.to for m in mail.outbox] == [[orga_a.vendor.email]]
    assert "Bienvenue !" in mail.outbox[0].body


def test_a_refusal_needs_a_message(client, orga_a):
    client.force_login(orga_a.user)
    url = reverse(f"{APPLICATIONS}:edit", args=[orga_a.participation.pk])

    response = client.post(url, {"state": "refused", "message": ""})

    assert response.status_code == 200
    orga_a.participation.refresh_from_db()
    assert orga_a.participation.state == "applied"


def test_suspending_a_vendor_takes_its_products_off_the_storefront_at_once(client, orga_a):
    orga_a.participation.state = "approved"
    orga_a.participation.save()
    orga_a.vendor.status = Vendor.Status.APPROVED
    orga_a.vendor.save()
    ProductFactory(vendor=orga_a.vendor)
    client.force_login(orga_a.user)
    assert products_on_sale(market=orga_a.market).count() == 1

    response = client.post(
        reverse(f"{VENDORS}:edit", args=[orga_a.vendor.pk]), {"status": "suspended"}
    )

    assert response.status_code == 302
    assert products_on_sale(market=orga_a.market).count() == 0


def test_an_organiser_cannot_moderate_a_vendor_of_another_network(client, orga_a, orga_b):
    client.force_login(orga_a.user)

    listing = client.get(reverse(f"{VENDORS}:index")).content.decode()
    response = client.post(
        reverse(f"{VENDORS}:edit", args=[orga_b.vendor.pk]), {"status": "suspended"}
    )

    assert "Candidat a" in listing
    assert "Candidat b" not in listing
    assert response.status_code == 404
    orga_b.vendor.refresh_from_db()
    assert orga_b.vendor.status == Vendor.Status.APPLIED


def test_organisers_edit_pages_of_their_own_network_only(orga_a, orga_b):
    assert orga_a.market.permissions_for_user(orga_a.user).can_edit()
    assert not orga_b.market.permissions_for_user(orga_a.user).can_edit()
    assert orga_a.user.groups.filter(name="Organisateurs").exists()
    assert Group.objects.filter(name="Exposants").exists()


def test_a_vendor_does_not_see_the_organisers_screens(client, vendor_a):
    client.force_login(vendor_a.user)

    assert client.get(reverse(f"{APPLICATIONS}:index")).status_code in (302, 403)
    assert client.get(reverse(f"{VENDORS}:index")).status_code in (302, 403)


def test_the_decision_page_shows_the_application(client, orga_a):
    orga_a.vendor.ess_commitment = "Chantier d'insertion, 12 salariés en parcours."
    orga_a.vendor.save()
    client.force_login(orga_a.user)

    html = client.get(reverse(f"{APPLICATIONS}:edit", args=[orga_a.participation.pk])).content

    assert orga_a.vendor.siret.encode() in html
    assert "12 salariés en parcours".encode() in html

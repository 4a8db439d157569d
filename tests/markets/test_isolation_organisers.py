"""Two organisers on one platform: neither reaches the other's applications, vendors,
projects or pick-up points through any admin URL, and platform-wide reports are for
platform admins. Regression tests for the leaks found by crawling the back office."""

import pytest
from django.urls import reverse

from markets.services import organiser_member_add
from tests.factories import (
    ImageFactory,
    MarketIndexPageFactory,
    MarketPageFactory,
    ParticipationFactory,
    PickupPointFactory,
    SolidarityProjectPageFactory,
    UserFactory,
    paid_order,
)
from vendors.services import vendor_workspace_ensure

pytestmark = pytest.mark.django_db


class Space:
    """An organiser's space: its user, a market with an applicant and a pick-up point,
    and a project."""

    def __init__(self, name):
        self.index = MarketIndexPageFactory(title=f"Réseau {name}")
        self.user = UserFactory(username=f"orga-{name}")
        organiser_member_add(organiser=self.index.organiser, user=self.user,
                             index_page=self.index)
        self.market = MarketPageFactory(parent=self.index, title=f"Marché {name}")
        self.project = SolidarityProjectPageFactory(parent=self.index, title=f"Projet {name}")
        self.application = ParticipationFactory(market=self.market)
        self.point = PickupPointFactory(market=self.market, name=f"Halle {name}")


@pytest.fixture
def one(db):
    return Space("un")


@pytest.fixture
def two(db):
    return Space("deux")


def refused(response) -> bool:
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] in ("/admin/", "/admin/login/")
    )


@pytest.mark.parametrize("view", ["history", "usage", "inspect", "edit"])
def test_an_organiser_cannot_open_the_others_applications(client, one, two, view):
    client.force_login(two.user)

    response = client.get(reverse(f"applications:{view}", args=[one.application.pk]))

    assert refused(response)


@pytest.mark.parametrize("view", ["history", "usage", "inspect", "edit"])
def test_an_organiser_cannot_open_vendors_outside_its_markets(client, one, two, view):
    client.force_login(two.user)

    response = client.get(reverse(f"vendors:{view}", args=[one.application.vendor.pk]))

    assert refused(response)


@pytest.mark.parametrize("view", ["history", "usage", "inspect"])
def test_an_organiser_cannot_open_the_others_pick_up_points(client, one, two, view):
    client.force_login(two.user)

    response = client.get(reverse(f"pickup_points:{view}", args=[one.point.pk]))

    assert refused(response)


@pytest.mark.parametrize("url_name", ["wagtailadmin_reports:site_history",
                                      "wagtailadmin_reports:page_types_usage"])
def test_platform_wide_reports_are_for_platform_admins(client, admin_user, vendor_a, one,
                                                       url_name):
    for user in (vendor_a.user, one.user):
        client.force_login(user)
        assert refused(client.get(reverse(url_name)))
        assert reverse(url_name) not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(admin_user)
    assert client.get(reverse(url_name)).status_code == 200


def test_a_vendor_chooses_its_logo_among_its_own_photos(client, vendor_a, vendor_b):
    own = ImageFactory(title="Logo A", collection=vendor_a.vendor.collection)
    other = ImageFactory(title="Logo B", collection=vendor_b.vendor.collection)
    client.force_login(vendor_a.user)
    data = {"name": vendor_a.vendor.name, "description": "", "ess_commitment": "",
            "email": vendor_a.vendor.email, "phone": "", "website": "", "address": "",
            "postcode": "", "city": "", "shipping_fee": "", "default_solidarity_percent": "0",
            "default_solidarity_project": ""}

    refused_logo = client.post(reverse("vendors_my_vendor"), {**data, "logo": other.pk})
    vendor_a.vendor.refresh_from_db()
    assert refused_logo.status_code == 200 and vendor_a.vendor.logo_id is None

    client.post(reverse("vendors_my_vendor"), {**data, "logo": own.pk})
    vendor_a.vendor.refresh_from_db()
    assert vendor_a.vendor.logo_id == own.pk


def test_a_vendors_default_project_is_one_of_its_organisers(client, vendor_a, one, two):
    ParticipationFactory(market=one.market, vendor=vendor_a.vendor)
    client.force_login(vendor_a.user)

    html = client.get(reverse("vendors_my_vendor")).content.decode()

    assert "Projet un" in html and "Projet deux" not in html


def test_a_market_supports_the_projects_of_its_own_organiser(client, one, two):
    client.force_login(one.user)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[one.market.pk])).content.decode()

    assert "Projet un" in html and "Projet deux" not in html


def test_the_pick_up_list_names_only_the_vendors_own_points(client, vendor_a, vendor_b):
    own_order = paid_order(vendor_a.product)
    other_order = paid_order(vendor_b.product)
    client.force_login(vendor_a.user)
    url = reverse("shop_order_admin:pickup_list")

    own = client.get(url, {"pickup_point": own_order.pickup_point_id})
    other = client.get(url, {"pickup_point": other_order.pickup_point_id})

    assert own.status_code == 200
    assert other.status_code == 404
    assert other_order.pickup_point.name not in other.content.decode()


def test_an_organiser_chooses_the_photos_of_its_approved_vendors_only(client, one, two):
    from markets.services import participation_decide

    own_vendor = one.application.vendor
    other_vendor = two.application.vendor
    for vendor in (own_vendor, other_vendor):
        vendor_workspace_ensure(vendor=vendor)
        vendor.refresh_from_db()
    ImageFactory(title="Photo de notre exposant", collection=own_vendor.collection)
    ImageFactory(title="Photo d'un autre réseau", collection=other_vendor.collection)
    one.application.state = "applied"
    one.application.save()
    client.force_login(one.user)
    chooser = reverse("wagtailimages_chooser:choose")

    before = client.get(chooser).json()["html"]
    participation_decide(participation=one.application, approve=True)
    after = client.get(chooser).json()["html"]

    assert "Photo de notre exposant" not in before
    assert "Photo de notre exposant" in after
    assert "Photo d&#x27;un autre réseau" not in after and "autre réseau" not in after

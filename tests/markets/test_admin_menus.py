"""« Ma boutique » for vendors, « Marchés » for organisers: menus built once from viewset
groups, each shown to its audience only; organisers keep their markets' pick-up points."""

import json
import re

import pytest
from django.urls import reverse

from markets.models import PickupPoint
from markets.services import organiser_member_add
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    PickupPointFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def sidebar_labels(client) -> set[str]:
    """Every label of the admin sidebar, submenus included (the sidebar is a JSON prop)."""
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    return set(re.findall(r'"label": "([^"]+)"', json.dumps(json.loads(props), ensure_ascii=False)))


@pytest.fixture
def organiser(db):
    index = MarketIndexPageFactory()
    user = UserFactory()
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    return user, index


def test_a_vendor_finds_its_shop_in_one_menu(client, vendor_a):
    client.force_login(vendor_a.user)

    labels = sidebar_labels(client)

    assert {"Ma boutique", "Mes produits", "Mes commandes", "Mes photos", "Mes versements",
            "Ma structure"} <= labels
    assert "Marchés" not in labels and "Images" not in labels


def test_an_organiser_finds_its_markets_in_one_menu(client, organiser):
    client.force_login(organiser[0])

    labels = sidebar_labels(client)

    assert {"Marchés", "Mes marchés", "Candidatures", "Exposants", "Points de retrait",
            "Projets solidaires", "Versements en attente", "Produits des exposants"} <= labels
    assert "Ma boutique" not in labels and "Mes produits" not in labels


def test_my_markets_opens_the_organisers_own_space(client, organiser):
    user, index = organiser
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("wagtailadmin_explore", args=[index.pk]) + "?content_type=" in html


def test_an_organiser_lists_only_its_own_pick_up_points(client, organiser):
    user, index = organiser
    own = PickupPointFactory(market=MarketPageFactory(parent=index), name="Halle Sud")
    other = PickupPointFactory(name="Entrepôt d'ailleurs")
    client.force_login(user)

    listing = client.get(reverse("pickup_points:index")).content.decode()
    inspect_own = client.get(reverse("pickup_points:inspect", args=[own.pk]))
    inspect_other = client.get(reverse("pickup_points:inspect", args=[other.pk]))

    assert "Halle Sud" in listing and "Entrepôt d'ailleurs" not in listing
    assert inspect_own.status_code == 200
    assert inspect_other.status_code == 404


def test_pick_up_points_are_never_deleted_from_the_list(client, organiser):
    user, index = organiser
    point = PickupPointFactory(market=MarketPageFactory(parent=index))
    client.force_login(user)

    response = client.post(reverse("pickup_points:delete", args=[point.pk]))

    assert response.status_code in (302, 403)
    assert PickupPoint.objects.filter(pk=point.pk).exists()


def test_the_pick_up_list_costs_the_same_for_1_or_20_points(
    client, organiser, django_assert_max_num_queries
):
    user, index = organiser
    market = MarketPageFactory(parent=index)
    PickupPointFactory(market=market)
    client.force_login(user)
    client.get(reverse("pickup_points:index"))
    PickupPointFactory.create_batch(19, market=market)

    with django_assert_max_num_queries(30):
        response = client.get(reverse("pickup_points:index"))

    assert response.status_code == 200


def test_an_organiser_filters_by_its_own_markets_only(client, organiser):
    user, index = organiser
    MarketPageFactory(parent=index, title="Marché de Nantes")
    MarketPageFactory(title="Marché d'un autre réseau")
    client.force_login(user)

    for url in (reverse("pickup_points:index"), reverse("applications:index")):
        html = client.get(url).content.decode()

        assert "Marché de Nantes" in html
        assert "Marché d&#x27;un autre réseau" not in html and "autre réseau" not in html


def test_pick_up_points_are_written_on_the_market_page_only(client, organiser):
    """A point changed outside the page would be lost when a draft of it is published."""
    user, index = organiser
    market = MarketPageFactory(parent=index)
    point = PickupPointFactory(market=market)
    client.force_login(user)

    listing = client.get(reverse("pickup_points:index")).content.decode()
    edit = client.get(reverse("pickup_points:edit", args=[point.pk]))
    add = client.get(reverse("pickup_points:add"))

    assert reverse("wagtailadmin_pages:edit", args=[market.pk]) in listing
    assert edit.status_code in (302, 403) and add.status_code in (302, 403)

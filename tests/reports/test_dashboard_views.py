"""An organiser reads each of its markets' figures in the back office: from « Marchés »,
from the admin home, and on the market's dashboard; never another organiser's."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from shop.orders.models import LedgerEntry, Order
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    PickupSlotFactory,
    SolidarityProjectPageFactory,
    UserFactory,
    VendorFactory,
    organiser_user,
    paid_checkout,
    product_in_market,
)
from tests.markets.test_admin_menus import sidebar_labels

pytestmark = pytest.mark.django_db


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def organiser():
    user, index = organiser_user()
    return user, index


@pytest.fixture
def market(organiser):
    market = MarketPageFactory(parent=organiser[1], title="Noël à Rezé", commission_bps=500)
    PickupPointFactory(market=market, name="Halle Sud")
    return market


def sell(market, *, price=5000, quantity=1, vendor=None, project=None, donation=0):
    product = product_in_market(market, price_cents=price, stock=quantity,
                                vendor=vendor or VendorFactory(),
                                solidarity_bps=1000 if project else 0,
                                solidarity_project=project)
    return paid_checkout([(product, quantity)], market=market, chosen_project=project,
                         donation_cents=donation)


def dashboard_url(market) -> str:
    return reverse("reports_market_dashboard", args=[market.pk])


def test_the_dashboard_shows_the_market_figures_in_french(client, organiser, market):
    project = SolidarityProjectPageFactory(title="Épicerie solidaire", parent=organiser[1])
    sell(market, price=123_450, vendor=VendorFactory(name="Ressourcerie <du> Port"),
         project=project, donation=300)
    client.force_login(organiser[0])

    response = client.get(dashboard_url(market))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tableau de bord" in html and "Noël à Rezé" in html
    assert "1\u202f234,50\xa0€" in html  # sales
    assert "Ressourcerie &lt;du&gt; Port" in html and "<du>" not in html
    assert "Épicerie solidaire" in html
    assert html.count('role="img"') == 6
    assert "<caption>" in html and "Halle Sud" in html


def test_the_dashboard_totals_equal_the_ledger(client, organiser, market):
    sell(market, price=5000, quantity=2, donation=250,
         project=SolidarityProjectPageFactory(parent=organiser[1]))
    sell(market, price=1999)
    client.force_login(organiser[0])

    headline = client.get(dashboard_url(market)).context["headline"]

    booked = {kind: sum(LedgerEntry.objects.filter(checkout__market=market, kind=kind)
                        .values_list("amount_cents", flat=True))
              for kind in LedgerEntry.Kind.values}
    assert headline.sales_cents == (booked["vendor_net"] + booked["commission"]
                                    + booked["solidarity"])
    assert headline.commission_cents == booked["commission"]
    assert headline.solidarity_cents == booked["solidarity"]
    assert headline.donation_cents == booked["donation"]
    assert headline.received_cents == sum(booked.values()) - booked["refund"]


def test_another_organiser_and_vendors_never_see_the_dashboard(client, market, vendor_a):
    other, _ = organiser_user()

    for user in (other, vendor_a.user):
        client.force_login(user)
        assert client.get(dashboard_url(market)).status_code in (403, 404)
    assert client.get(reverse("reports_dashboard_index")).status_code in (403, 404)


def test_a_platform_admin_reads_every_dashboard(client, market):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(dashboard_url(market)).status_code == 200
    assert "Noël à Rezé" in client.get(reverse("reports_dashboard_index")).content.decode()


def test_an_id_that_is_not_a_market_is_not_found(client, organiser):
    client.force_login(organiser[0])

    assert client.get(reverse("reports_market_dashboard", args=[organiser[1].pk])
                      ).status_code == 404


def test_the_dashboard_list_shows_only_the_organisers_markets(client, organiser, market):
    sell(market, price=4200)
    MarketPageFactory(title="Marché d'un autre réseau")
    client.force_login(organiser[0])

    html = client.get(reverse("reports_dashboard_index")).content.decode()

    assert "Noël à Rezé" in html and "Marché d'un autre réseau" not in html
    assert "42,00\xa0€" in html
    assert dashboard_url(market) in html


def test_dashboards_are_reached_from_the_markets_menu(client, organiser, vendor_a):
    client.force_login(organiser[0])
    assert "Tableaux de bord" in sidebar_labels(client)

    client.force_login(vendor_a.user)
    assert "Tableaux de bord" not in sidebar_labels(client)


def test_the_admin_home_shows_the_running_markets_figures(client, organiser, market):
    sell(market, price=7700)
    client.force_login(organiser[0])

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Chiffres de mes marchés" in html
    assert "77,00\xa0€" in html and dashboard_url(market) in html


def test_the_dashboard_costs_the_same_queries_for_1_or_many_orders(
    client, organiser, market, django_assert_max_num_queries
):
    project = SolidarityProjectPageFactory(parent=organiser[1])
    sell(market, project=project, donation=100)
    client.force_login(organiser[0])
    client.get(dashboard_url(market))
    for index in range(6):
        sell(market, price=1000 + index, project=project if index % 2 else None)

    with django_assert_max_num_queries(25):
        assert client.get(dashboard_url(market)).status_code == 200


def test_the_list_and_the_home_panel_cost_the_same_for_1_or_many_markets(
    client, organiser, market, django_assert_max_num_queries
):
    sell(market)
    client.force_login(organiser[0])
    client.get(reverse("reports_dashboard_index"))
    client.get(reverse("wagtailadmin_home"))
    for _ in range(4):
        sell(MarketPageFactory(parent=organiser[1]))

    with django_assert_max_num_queries(20):
        assert client.get(reverse("reports_dashboard_index")).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_the_dashboard_shows_the_load_of_each_pick_up_slot(client, organiser, market):
    """Given two orders to collect in the Saturday 10:00 slot, the dashboard counts them
    there."""
    point = market.pickup_points.get()
    checkouts = [sell(market) for _ in range(2)]
    slot = PickupSlotFactory(point=point, starts_at=paris(2026, 12, 19, 10),
                             ends_at=paris(2026, 12, 19, 11))
    Order.objects.filter(checkout__in=checkouts).update(pickup_point=point, pickup_slot=slot)
    client.force_login(organiser[0])

    html = client.get(dashboard_url(market)).content.decode()

    section = html[html.index('id="slots-title"'):]
    assert "samedi 19 décembre, 10:00" in section.lower()
    assert "Halle Sud" in section

"""The page explorer of an organiser's space: each market with its dates and status, in a
number of queries that does not grow with the markets."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from markets.services import organiser_member_add
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    SolidarityProjectPageFactory,
    UserFactory,
    home_page,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def space(db):
    index = MarketIndexPageFactory(title="Marchés de Nantes")
    user = UserFactory()
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    SolidarityProjectPageFactory(parent=index, title="Épicerie solidaire")
    return index, user


def markets(index, count, start=0):
    now = timezone.now()
    for number in range(start, start + count):
        MarketPageFactory(parent=index, title=f"Marché {number}",
                          opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=9))


def test_each_market_shows_its_dates_and_status(client, space):
    index, user = space
    now = timezone.now()
    MarketPageFactory(parent=index, title="Marché de Noël 2026",
                      opens_at=datetime(2026, 11, 21, 10, tzinfo=PARIS),
                      closes_at=datetime(2026, 12, 24, 18, tzinfo=PARIS))
    MarketPageFactory(parent=index, title="Marché de printemps",
                      opens_at=now + timedelta(days=90), closes_at=now + timedelta(days=95))
    MarketPageFactory(parent=index, title="Marché en pause", is_paused=True,
                      opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=5))
    MarketPageFactory(parent=index, title="Marché d'été",
                      opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=80))
    client.force_login(user)

    page = client.get(reverse("wagtailadmin_explore", args=[index.pk])).content.decode()

    assert "État du marché" in page
    assert "du 21 novembre au 24 décembre 2026" in page
    for label in ("À venir", "En pause", "Clos"):
        assert label in page
    assert "Épicerie solidaire" in page  # the projects are listed as before


def test_the_my_markets_filter_still_lists_the_markets_only(client, space):
    index, user = space
    markets(index, 1)
    client.force_login(user)

    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    query = menu.split(reverse("wagtailadmin_explore", args=[index.pk]) + "?", 1)[1]
    query = query.split('"', 1)[0].replace("&amp;", "&")
    page = client.get(reverse("wagtailadmin_explore", args=[index.pk]) + "?" + query)

    assert page.status_code == 200
    assert "Marché 0" in page.content.decode()
    assert "Épicerie solidaire" not in page.content.decode()


def test_the_listing_costs_the_same_queries_for_two_or_twelve_markets(
    client, space, django_assert_max_num_queries
):
    index, user = space
    markets(index, 2)
    client.force_login(user)
    url = reverse("wagtailadmin_explore", args=[index.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    markets(index, 10, start=2)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)

    assert page.status_code == 200
    assert page.content.decode().count("État du marché") == 1


def test_other_pages_are_listed_as_wagtail_lists_them(admin_client, space):
    page = admin_client.get(reverse("wagtailadmin_explore", args=[home_page().pk]))

    assert page.status_code == 200
    assert "État du marché" not in page.content.decode()

"""The back-office listings keep a constant number of queries as they grow."""

import pytest
from django.urls import reverse

from markets.models import MarketParticipation
from markets.services import organiser_member_add
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    ParticipationFactory,
    ProductFactory,
    UserFactory,
    VendorFactory,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client):
    index = MarketIndexPageFactory()
    market = MarketPageFactory(parent=index)
    user = UserFactory(username="orga-bench")
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    client.force_login(user)
    return client, market


def test_the_product_list_does_not_grow_with_the_catalogue(client, vendor_a,
                                                          django_assert_max_num_queries):
    client.force_login(vendor_a.user)
    url = reverse("wagtailsnippets_shop_product:list")
    few = count_queries(client, url)
    for number in range(30):
        ProductFactory(vendor=vendor_a.vendor, slug=f"objet-{number}")

    many = count_queries(client, url)

    assert many <= few
    with django_assert_max_num_queries(few):
        client.get(url)


def test_the_dashboard_does_not_grow_with_the_catalogue(client, vendor_a):
    client.force_login(vendor_a.user)
    url = reverse("wagtailadmin_home")
    few = count_queries(client, url)
    for number in range(20):
        ProductFactory(vendor=vendor_a.vendor, slug=f"objet-{number}", stock=0)

    assert count_queries(client, url) <= few


def test_the_applications_list_does_not_grow_with_the_applicants(organiser_client):
    client, market = organiser_client
    url = reverse("applications:index")
    ParticipationFactory(market=market, state=MarketParticipation.State.APPLIED)
    few = count_queries(client, url)
    for _ in range(10):
        ParticipationFactory(market=market, state=MarketParticipation.State.APPLIED)

    assert count_queries(client, url) <= few


def test_the_vendors_list_does_not_grow_with_the_vendors(organiser_client):
    client, market = organiser_client
    url = reverse("vendors:index")
    ParticipationFactory(market=market, vendor=VendorFactory())
    few = count_queries(client, url)
    for _ in range(10):
        ParticipationFactory(market=market, vendor=VendorFactory())

    assert count_queries(client, url) <= few


def test_ma_structure_keeps_a_constant_number_of_queries(client, vendor_a,
                                                          django_assert_max_num_queries):
    client.force_login(vendor_a.user)
    url = reverse("vendors_my_vendor")
    few = count_queries(client, url)
    for number in range(10):
        ProductFactory(vendor=vendor_a.vendor, slug=f"objet-{number}")

    assert count_queries(client, url) <= few


def test_the_application_form_does_not_grow_with_the_market(client,
                                                            django_assert_max_num_queries):
    market = MarketPageFactory()
    url = market.url + market.reverse_subpage("apply")
    ParticipationFactory(market=market)
    few = count_queries(client, url)
    for _ in range(10):
        ParticipationFactory(market=market)

    assert count_queries(client, url) <= few
    with django_assert_max_num_queries(few):
        client.get(url)

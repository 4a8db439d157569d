import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from payments.transfers import transfers_schedule
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    OrganiserFactory,
    SolidarityProjectPageFactory,
    UserFactory,
)
from vendors.services import organiser_member_add, vendor_member_add

from .conftest import Sale

pytestmark = pytest.mark.django_db


def _organiser_with_sale(fake_stripe, name, intent):
    index = MarketIndexPageFactory(organiser=OrganiserFactory(name=f"Réseau {name}"))
    user = UserFactory(username=f"orga-{name}")
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    sale = Sale(fake_stripe, market=MarketPageFactory(parent=index), intent=intent)
    transfers_schedule(checkout=sale.checkout)
    return user, sale, index


def test_organisers_see_the_payouts_of_their_own_markets(client, fake_stripe):
    user_a, sale_a, _ = _organiser_with_sale(fake_stripe, "a", "pi_a")
    _, sale_b, _ = _organiser_with_sale(fake_stripe, "b", "pi_b")
    client.force_login(user_a)

    response = client.get(reverse("payouts:index"), {"state": "pending"})

    page = response.content.decode()
    assert response.status_code == 200
    assert sale_a.checkout.reference in page
    assert sale_a.vendor.name in page
    assert "38,00" in page
    assert sale_b.checkout.reference not in page
    assert sale_b.vendor.name not in page


def test_vendors_do_not_see_the_payouts(client, fake_stripe):
    _organiser_with_sale(fake_stripe, "a", "pi_a")
    user = UserFactory()
    vendor_member_add(vendor=Sale(fake_stripe, intent="pi_v").vendor, user=user)
    client.force_login(user)

    response = client.get(reverse("payouts:index"))

    assert response.status_code in (302, 403)
    assert reverse("payouts:index") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_organiser_opens_the_payout_account_of_a_project(client, fake_stripe):
    user, _, index = _organiser_with_sale(fake_stripe, "a", "pi_a")
    project = SolidarityProjectPageFactory(parent=index)
    other = SolidarityProjectPageFactory()
    client.force_login(user)

    status = client.get(reverse("payments_connect:project_onboard", args=[project.pk]))
    response = client.post(reverse("payments_connect:project_onboard", args=[project.pk]))

    project.refresh_from_db()
    assert "non ouvert" in status.content.decode()
    assert response.url == f"https://connect.stripe.test/setup/{project.stripe_account_id}"
    [account] = fake_stripe.posts("/v1/accounts")
    assert account.idempotency_key == f"account-project-{project.pk}"
    refused = client.post(reverse("payments_connect:project_onboard", args=[other.pk]))
    other.refresh_from_db()
    assert refused.status_code in (302, 403)
    assert not refused.url.startswith("https://connect.stripe.test")
    assert not other.stripe_account_id

    fake_stripe.account(project.stripe_account_id, transfers="active")
    client.get(reverse("payments_connect:project_return", args=[project.pk]))
    project.refresh_from_db()
    assert project.transfers_active


def test_payouts_listing_queries_do_not_grow_with_rows(client, fake_stripe):
    user, _, index = _organiser_with_sale(fake_stripe, "a", "pi_a")
    client.force_login(user)
    url = reverse("payouts:index")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    market = MarketPageFactory(parent=index)
    for n in range(3):
        transfers_schedule(checkout=Sale(fake_stripe, market=market, intent=f"pi_{n}").checkout)
    with CaptureQueriesContext(connection) as four:
        client.get(url)

    assert len(four.captured_queries) == len(one.captured_queries)

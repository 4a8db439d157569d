import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from markets.services import organiser_member_add
from payments.models import Transfer
from payments.transfers import transfers_schedule
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    OrganiserFactory,
    SolidarityProjectPageFactory,
    UserFactory,
)
from vendors.services import vendor_member_add

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


def _refused_transfer(fake_stripe, intent="pi_r"):
    """A transfer Stripe refused, in a market of organiser « a »."""
    user, sale, index = _organiser_with_sale(fake_stripe, "a", intent)
    sale.vendor.stripe_account_id = "acct_r"
    sale.vendor.transfers_active = True
    sale.vendor.save()
    transfer = Transfer.objects.get(checkout=sale.checkout)
    Transfer.objects.filter(pk=transfer.pk).update(
        state=Transfer.State.FAILED, destination="acct_r",
        failure_message="Insufficient funds in Stripe account.")
    return user, sale, transfer


def test_platform_admins_retry_a_refused_transfer(fake_stripe,
                                                   django_capture_on_commit_callbacks):
    # Given a transfer Stripe refused, listed to a platform admin with Stripe's reason
    _, sale, transfer = _refused_transfer(fake_stripe)
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    page = client.get(reverse("payouts:index")).content.decode()
    url = reverse("payouts:retry", args=[transfer.pk])
    assert "Insufficient funds in Stripe account." in page
    assert "Réessayer" in page
    form = page[page.index(f'action="{url}"'):]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    assert client.post(url).status_code == 403  # without the form's token

    # When the admin asks to try it again
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"csrfmiddlewaretoken": token})

    # Then the outbox sends it at once, and the admin is told
    transfer.refresh_from_db()
    assert response.status_code == 302
    assert (transfer.state, transfer.external_id) == (Transfer.State.SENT, "tr_1")
    assert transfer.send_round == 1
    [call] = fake_stripe.posts("/v1/transfers")
    assert call.params["destination"] == "acct_r"
    assert response.url == reverse("payouts:index")
    assert f"Le versement de {sale.checkout.reference} va être retenté" in \
        client.get(response.url).content.decode()


def test_retrying_a_transfer_that_did_not_fail_changes_nothing(client, fake_stripe):
    _, _, transfer = _refused_transfer(fake_stripe)
    Transfer.objects.filter(pk=transfer.pk).update(state=Transfer.State.PENDING)
    client.force_login(UserFactory(username="admin", is_superuser=True))

    response = client.post(reverse("payouts:retry", args=[transfer.pk]), follow=True)

    transfer.refresh_from_db()
    assert (transfer.state, transfer.send_round) == (Transfer.State.PENDING, 0)
    assert "Seul un versement échoué" in response.content.decode()
    assert not fake_stripe.posts("/v1/transfers")


def test_only_platform_admins_retry_transfers(client, fake_stripe):
    organiser, sale, transfer = _refused_transfer(fake_stripe)
    vendor_user = UserFactory(username="vendeur")
    vendor_member_add(vendor=sale.vendor, user=vendor_user)
    url = reverse("payouts:retry", args=[transfer.pk])

    client.force_login(organiser)
    listing = client.get(reverse("payouts:index")).content.decode()
    assert "Insufficient funds in Stripe account." in listing
    assert url not in listing
    assert client.post(url).status_code == 403
    client.force_login(vendor_user)
    assert client.post(url).status_code in (302, 403)
    client.logout()
    assert client.post(url).status_code == 302  # to the log-in page

    transfer.refresh_from_db()
    assert (transfer.state, transfer.send_round) == (Transfer.State.FAILED, 0)
    client.force_login(UserFactory(username="admin", is_superuser=True))
    assert client.get(url).status_code == 405
    assert client.post(reverse("payouts:retry", args=[transfer.pk + 1000])).status_code == 404


def test_admin_payouts_listing_with_refused_transfers_queries_do_not_grow(client,
                                                                          fake_stripe):
    _refused_transfer(fake_stripe)
    client.force_login(UserFactory(username="admin", is_superuser=True))
    url = reverse("payouts:index")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    market = MarketPageFactory()
    for n in range(3):
        transfers_schedule(checkout=Sale(fake_stripe, market=market, intent=f"pi_{n}").checkout)
    Transfer.objects.update(state=Transfer.State.FAILED, failure_message="Refused.")
    with CaptureQueriesContext(connection) as four:
        client.get(url)

    assert len(four.captured_queries) == len(one.captured_queries)

import pytest
from django.urls import reverse

from payments.connect import account_updated, connect_account_create, connect_onboarding_link
from payments.models import Transfer
from payments.transfers import transfers_schedule
from tests.factories import UserFactory, VendorFactory
from vendors.services import vendor_member_add

from .conftest import Sale

pytestmark = pytest.mark.django_db


def test_account_is_created_once_with_the_platform_as_controller(fake_stripe):
    vendor = VendorFactory()

    account_id = connect_account_create(vendor=vendor)
    again = connect_account_create(vendor=vendor)

    [call] = fake_stripe.posts("/v1/accounts")
    assert again == account_id
    vendor.refresh_from_db()
    assert vendor.stripe_account_id == account_id
    assert call.idempotency_key == f"account-vendor-{vendor.pk}"
    assert call.params["controller[fees][payer]"] == "application"
    assert call.params["controller[losses][payments]"] == "application"
    assert call.params["controller[stripe_dashboard][type]"] == "express"
    assert call.params["controller[requirement_collection]"] == "stripe"
    assert call.params["country"] == "FR"
    assert call.params["capabilities[transfers][requested]"] == "true"


def test_onboarding_link_is_an_account_onboarding(fake_stripe):
    url = connect_onboarding_link(account_id="acct_9", return_url="https://x.test/back",
                                  refresh_url="https://x.test/again")

    [call] = fake_stripe.posts("/v1/account_links")
    assert url == "https://connect.stripe.test/setup/acct_9"
    assert call.params == {"account": "acct_9", "type": "account_onboarding",
                           "return_url": "https://x.test/back",
                           "refresh_url": "https://x.test/again"}


@pytest.fixture
def vendor_user(db):
    vendor = VendorFactory()
    user = UserFactory()
    vendor_member_add(vendor=vendor, user=user)
    return vendor, user


def test_vendor_opens_its_account_and_comes_back(client, fake_stripe, vendor_user):
    vendor, user = vendor_user
    client.force_login(user)

    response = client.post(reverse("payments_connect:vendor_onboard"))

    vendor.refresh_from_db()
    assert response.status_code == 302
    assert response.url == f"https://connect.stripe.test/setup/{vendor.stripe_account_id}"
    [link] = fake_stripe.posts("/v1/account_links")
    assert link.params["return_url"].endswith(reverse("payments_connect:vendor_return"))
    assert link.params["refresh_url"].endswith(reverse("payments_connect:vendor_refresh"))

    fake_stripe.account(vendor.stripe_account_id, transfers="active")
    response = client.get(reverse("payments_connect:vendor_return"), follow=True)

    vendor.refresh_from_db()
    assert vendor.transfers_active and vendor.payouts_enabled
    assert response.redirect_chain[-1][0] == reverse("vendors_my_vendor")
    assert "les versements sont actifs" in response.content.decode()


def test_refresh_gives_a_new_link(client, fake_stripe, vendor_user):
    vendor, user = vendor_user
    vendor.stripe_account_id = "acct_42"
    vendor.save()
    client.force_login(user)

    response = client.get(reverse("payments_connect:vendor_refresh"))

    assert response.url == "https://connect.stripe.test/setup/acct_42"


def test_onboarding_is_not_offered_with_the_demo_gateway(client, settings, vendor_user):
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(vendor_user[1])

    page = client.get(reverse("vendors_my_vendor")).content.decode()

    assert "assurés par les organisateurs du marché" in page
    assert reverse("payments_connect:vendor_onboard") not in page
    assert client.post(reverse("payments_connect:vendor_onboard")).status_code == 404


@pytest.mark.parametrize(("account", "active", "text"), [
    ("", False, "non ouvert"),
    ("acct_1", False, "ouverture incomplète"),
    ("acct_1", True, "versements actifs"),
])
def test_my_organisation_shows_the_payout_status(client, fake_stripe, vendor_user, account,
                                                 active, text):
    vendor, user = vendor_user
    vendor.stripe_account_id, vendor.transfers_active = account, active
    vendor.save()
    client.force_login(user)

    page = client.get(reverse("vendors_my_vendor")).content.decode()

    assert text in page
    assert (reverse("payments_connect:vendor_onboard") in page) is not active


def test_account_updated_sends_the_transfers_that_waited(
    fake_stripe, django_capture_on_commit_callbacks
):
    sale = Sale(fake_stripe, vendor_account="acct_v")
    with django_capture_on_commit_callbacks(execute=True):
        transfers_schedule(checkout=sale.checkout)
    transfer = Transfer.objects.get()
    assert transfer.state == Transfer.State.PENDING
    assert not fake_stripe.posts("/v1/transfers")

    with django_capture_on_commit_callbacks(execute=True):
        account_updated(account=fake_stripe.account("acct_v", transfers="active"))

    transfer.refresh_from_db()
    sale.vendor.refresh_from_db()
    assert sale.vendor.transfers_active
    assert transfer.state == Transfer.State.SENT
    [call] = fake_stripe.posts("/v1/transfers")
    assert call.params["destination"] == "acct_v"


def test_account_opened_after_the_sale_receives_the_transfer(
    fake_stripe, django_capture_on_commit_callbacks
):
    sale = Sale(fake_stripe)
    with django_capture_on_commit_callbacks(execute=True):
        transfers_schedule(checkout=sale.checkout)
    account_id = connect_account_create(vendor=sale.vendor)

    with django_capture_on_commit_callbacks(execute=True):
        account_updated(account=fake_stripe.account(account_id, transfers="active"))

    [call] = fake_stripe.posts("/v1/transfers")
    assert call.params["destination"] == account_id
    assert Transfer.objects.get().destination == account_id


def test_account_updated_to_inactive_stops_transfers(fake_stripe, vendor_user):
    vendor, _ = vendor_user
    vendor.stripe_account_id, vendor.transfers_active = "acct_off", True
    vendor.save()

    account_updated(account=fake_stripe.account("acct_off", transfers="inactive",
                                                 payouts=False))

    vendor.refresh_from_db()
    assert not vendor.transfers_active and not vendor.payouts_enabled

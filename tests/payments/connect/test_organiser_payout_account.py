"""The commission and the organiser's payout account: it waits while the account is opened
but not complete, goes once when Stripe says transfers are active (`account.updated` on
the Connect endpoint), and the organiser reads what waits on its « Compte de versement »."""

import importlib
import json
import time
from datetime import timedelta

import pytest
import stripe
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from markets.services import organiser_member_add
from payments.models import Transfer, WebhookEvent
from payments.services import payment_succeeded
from payments.tasks import send_transfer
from payments.transfer_sending import transfer_send
from payments.transfers import transfers_plan
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    OrganiserFactory,
    UserFactory,
)

from .conftest import Sale

pytestmark = pytest.mark.django_db

CONNECT_SECRET = "whsec_test_connect"  # noqa: S105


@pytest.fixture
def space(db):
    """An organiser's space, and one of its members."""
    index = MarketIndexPageFactory(organiser=OrganiserFactory(name="Réseau Loire"))
    user = UserFactory(username="orga-loire")
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    return index, user


def sale_in(index, fake_stripe, intent: str) -> Sale:
    """A 40 € sale at 5 % (2 € of commission) in a market of `index`."""
    return Sale(fake_stripe, market=MarketPageFactory(parent=index, commission_bps=500),
                vendor_account="acct_v", vendor_active=True, intent=intent)


def open_account(organiser, account_id="acct_o", *, active=False):
    organiser.stripe_account_id, organiser.transfers_active = account_id, active
    organiser.save()


def organiser_calls(fake_stripe, account_id="acct_o"):
    return [call for call in fake_stripe.posts("/v1/transfers")
            if call.params["destination"] == account_id]


def deliver_account_updated(client, account: dict, callbacks):
    """Stripe's signed `account.updated` on the Connect endpoint, processed after commit."""
    payload = json.dumps({
        "id": f"evt_{time.time_ns()}", "object": "event", "type": "account.updated",
        "account": account["id"], "created": int(time.time()), "livemode": False,
        "data": {"object": account},
    })
    signature = stripe.WebhookSignature.generate_signature_header(payload, CONNECT_SECRET)
    with callbacks(execute=True):
        return client.post("/payments/stripe/connect-webhook/", payload,
                           content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


@pytest.fixture
def connect_webhooks(settings, fake_stripe):
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_SECRET
    return fake_stripe


def test_an_organiser_transfer_waits_while_transfers_are_not_active(
    fake_stripe, space, django_capture_on_commit_callbacks
):
    index, _ = space
    open_account(index.organiser)
    sale = sale_in(index, fake_stripe, "pi_1")
    [transfer] = [t for t in transfers_plan(checkout=sale.checkout)
                  if t.kind == Transfer.Kind.ORGANISER]

    sent = transfer_send(transfer_pk=transfer.pk)

    assert sent.state == Transfer.State.PENDING
    assert not sent.external_id
    assert not organiser_calls(fake_stripe)


def test_the_commission_waits_then_goes_once_the_account_is_active(
    client, connect_webhooks, space, django_capture_on_commit_callbacks
):
    fake_stripe = connect_webhooks
    # Given an organiser whose account is opened but not complete, and a paid sale
    index, _ = space
    organiser = index.organiser
    open_account(organiser)
    sale = sale_in(index, fake_stripe, "pi_1")
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)
    transfer = Transfer.objects.get(kind=Transfer.Kind.ORGANISER)
    key = transfer.idempotency_key
    assert transfer.state == Transfer.State.PENDING
    assert not organiser_calls(fake_stripe)

    # When Stripe says, on the Connect endpoint, that transfers are active
    account = fake_stripe.account("acct_o", transfers="active", payouts=True)
    response = deliver_account_updated(client, account, django_capture_on_commit_callbacks)

    # Then the organiser's state is recorded and the commission goes, under its own key
    assert response.status_code == 200
    organiser.refresh_from_db()
    assert organiser.transfers_active and organiser.payouts_enabled
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.SENT
    assert transfer.idempotency_key == key == (
        f"transfer-organiser-{sale.checkout.reference}-{organiser.pk}")
    [call] = organiser_calls(fake_stripe)
    assert (call.params["amount"], call.idempotency_key) == ("200", key)

    # And a second delivery, or the task run again, sends nothing more
    deliver_account_updated(client, account, django_capture_on_commit_callbacks)
    send_transfer(transfer.pk)
    assert len(organiser_calls(fake_stripe)) == 1
    assert WebhookEvent.objects.filter(type="account.updated",
                                       processed_at__isnull=False).count() == 2


def test_account_updated_turns_an_organiser_account_off(
    client, connect_webhooks, space, django_capture_on_commit_callbacks
):
    index, _ = space
    open_account(index.organiser, active=True)
    account = connect_webhooks.account("acct_o", transfers="inactive", payouts=False)

    deliver_account_updated(client, account, django_capture_on_commit_callbacks)

    index.organiser.refresh_from_db()
    assert not index.organiser.transfers_active
    assert not index.organiser.payouts_enabled


def test_a_badly_signed_account_update_changes_nothing(client, connect_webhooks, space):
    index, _ = space
    open_account(index.organiser)
    payload = json.dumps({"id": "evt_forged", "type": "account.updated", "data": {
        "object": connect_webhooks.account("acct_o", transfers="active")}})
    signature = stripe.WebhookSignature.generate_signature_header(payload, "whsec_other")

    response = client.post("/payments/stripe/connect-webhook/", payload,
                           content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)

    assert response.status_code == 400
    index.organiser.refresh_from_db()
    assert not index.organiser.transfers_active


@pytest.mark.parametrize(("account", "active", "texts", "button"), [
    ("", False, ["non ouvert", "reste due"], "Ouvrir mon compte de versement"),
    ("acct_o", False, ["ouverture incomplète", "Stripe attend encore"],
     "Compléter mon compte de versement"),
    ("acct_o", True, ["prêt, versements actifs", "est virée sur ce compte"], None),
])
def test_the_screen_shows_the_status_and_the_commission_owed(
    client, fake_stripe, space, django_assert_max_num_queries, account, active, texts, button,
):
    # Given 2 € of commission booked before the account was opened, and 2 € since
    index, user = space
    transfers_plan(checkout=sale_in(index, fake_stripe, "pi_1").checkout)
    open_account(index.organiser)
    transfers_plan(checkout=sale_in(index, fake_stripe, "pi_2").checkout)
    open_account(index.organiser, account, active=active)
    client.force_login(user)

    # The admin's session, user and menus, then the organiser and its two sums: 17.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("payments_connect:organiser_onboard",
                                      args=[index.organiser.pk]))

    page = response.content.decode()
    url = reverse("payments_connect:organiser_onboard", args=[index.organiser.pk])
    assert response.status_code == 200
    assert all(text in page for text in texts)
    assert "Commission en attente de virement sur ce compte : <strong>2,00\u00a0€" in page
    assert "Commission inscrite quand vous n’aviez pas de compte de versement : " \
        "<strong>2,00\u00a0€" in page
    assert (f'<form method="post" action="{url}">' in page) is bool(button)
    assert not button or button in page
    assert reverse("payouts:index") in page


def test_the_pending_payouts_lead_to_the_payout_account(
    client, fake_stripe, space, django_capture_on_commit_callbacks
):
    index, user = space
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale_in(index, fake_stripe, "pi_1").payment)
    client.force_login(user)

    page = client.get(reverse("payouts:index")).content.decode()

    assert "Commission due aux organisateurs" in page
    assert "non ouvert" in page
    assert reverse("payments_connect:organiser_onboard", args=[index.organiser.pk]) in page


def test_reconciliation_flags_an_organiser_transfer_only_once_the_account_is_active(
    fake_stripe, space, capsys
):
    # Given an organiser transfer waiting for two days (its vendor's account is not open)
    index, _ = space
    open_account(index.organiser)
    sale = Sale(fake_stripe, market=MarketPageFactory(parent=index, commission_bps=500))
    [transfer] = [t for t in transfers_plan(checkout=sale.checkout)
                  if t.kind == Transfer.Kind.ORGANISER]
    Transfer.objects.filter(checkout=sale.checkout).update(
        updated_at=timezone.now() - timedelta(days=2))

    call_command("payments_reconcile")
    assert f"transfer #{transfer.pk}" not in capsys.readouterr().out

    open_account(index.organiser, active=True)
    with pytest.raises(SystemExit):
        call_command("payments_reconcile")
    assert f"transfer #{transfer.pk} of 200 cents to acct_o waiting for a day" in \
        capsys.readouterr().out


def test_organisers_whose_account_the_platform_set_keep_receiving_the_commission():
    migration = importlib.import_module("markets.migrations.0008_organiser_payout_account")
    set_up = OrganiserFactory(stripe_account_id="acct_platform")
    without = OrganiserFactory()

    migration.keep_platform_accounts_active(apps, None)

    set_up.refresh_from_db()
    without.refresh_from_db()
    assert set_up.transfers_active
    assert not without.transfers_active

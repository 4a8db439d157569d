"""The commission of a market's orders goes to its organiser: one transfer per checkout to
the organiser's connected account, reversed when units are refunded; without an account it
stays payable in the ledger, listed with the pending payouts and not flagged."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from markets.models import Organiser
from markets.services import organiser_member_add
from payments.models import Transfer
from payments.services import payment_succeeded
from payments.tasks import send_transfer
from payments.transfers import transfer_adjust_for_refund, transfers_schedule
from shop.models import LedgerEntry
from shop.orders.services import order_lines_cancel
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    OrganiserFactory,
    UserFactory,
)

from .conftest import Sale

pytestmark = pytest.mark.django_db


def market_of(organiser: Organiser):
    return MarketPageFactory(parent=MarketIndexPageFactory(organiser=organiser),
                             commission_bps=500)


def organiser_calls(fake_stripe):
    return [call for call in fake_stripe.posts("/v1/transfers")
            if call.params["destination"] == "acct_o"]


def test_the_commission_is_transferred_to_the_organiser(
    fake_stripe, django_capture_on_commit_callbacks
):
    # Given an organiser with a connected account, and a 40 € sale at 5 % in its market
    organiser = OrganiserFactory(stripe_account_id="acct_o", transfers_active=True)
    sale = Sale(fake_stripe, market=market_of(organiser), vendor_account="acct_v",
                vendor_active=True)

    # When the payment succeeds
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)

    # Then the organiser receives the commission, tied to the charge and the checkout
    [call] = organiser_calls(fake_stripe)
    assert call.params["amount"] == "200"
    assert call.params["source_transaction"] == "ch_1"
    assert call.params["transfer_group"] == sale.checkout.reference
    assert call.params["metadata[organiser]"] == str(organiser.pk)
    assert call.idempotency_key == (
        f"transfer-organiser-{sale.checkout.reference}-{organiser.pk}")
    transfer = Transfer.objects.get(kind=Transfer.Kind.ORGANISER)
    assert (transfer.organiser, transfer.state) == (organiser, Transfer.State.SENT)


def test_the_organiser_transfer_is_made_once(fake_stripe, django_capture_on_commit_callbacks):
    organiser = OrganiserFactory(stripe_account_id="acct_o", transfers_active=True)
    sale = Sale(fake_stripe, market=market_of(organiser))

    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)
        payment_succeeded(payment=sale.payment)
    [transfer] = [t for t in transfers_schedule(checkout=sale.checkout)
                  if t.kind == Transfer.Kind.ORGANISER]
    send_transfer(transfer.pk)
    send_transfer.delay(transfer.pk)

    assert len(organiser_calls(fake_stripe)) == 1
    assert Transfer.objects.filter(kind=Transfer.Kind.ORGANISER).count() == 1


def test_cancelled_units_reverse_the_organiser_commission(
    fake_stripe, django_capture_on_commit_callbacks
):
    organiser = OrganiserFactory(stripe_account_id="acct_o", transfers_active=True)
    sale = Sale(fake_stripe, market=market_of(organiser), vendor_account="acct_v",
                vendor_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)
    organiser_transfer = Transfer.objects.get(kind=Transfer.Kind.ORGANISER)

    # When the vendor cancels one of the two units (20 €), and the task runs twice
    line = sale.order.lines.get()
    refunded = order_lines_cancel(order=sale.order, quantities={line.pk: 1})
    transfer_adjust_for_refund(order=sale.order, amount_cents=refunded)
    transfer_adjust_for_refund(order=sale.order, amount_cents=refunded)

    # Then the organiser gives back the commission on that unit, once
    [call] = fake_stripe.posts(f"/v1/transfers/{organiser_transfer.external_id}/reversals")
    assert call.params["amount"] == "100"
    assert call.idempotency_key == (
        f"reversal-organiser-{organiser_transfer.pk}-{sale.order.pk}-2000")
    organiser_transfer.refresh_from_db()
    assert (organiser_transfer.reversed_cents, organiser_transfer.state) == (
        100, Transfer.State.PARTIALLY_REVERSED)
    commission = LedgerEntry.objects.filter(checkout=sale.checkout,
                                            kind=LedgerEntry.Kind.COMMISSION)
    assert sorted(commission.values_list("amount_cents", "organiser")) == [
        (-100, organiser.pk), (200, organiser.pk)]


def test_without_an_account_the_commission_stays_payable(
    client, fake_stripe, django_capture_on_commit_callbacks, django_assert_max_num_queries,
    capsys,
):
    # Given an organiser without a connected account
    index = MarketIndexPageFactory(organiser=OrganiserFactory(name="Réseau sans compte"))
    user = UserFactory(username="orga-sans-compte")
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    sale = Sale(fake_stripe, market=MarketPageFactory(parent=index, commission_bps=500),
                vendor_account="acct_v", vendor_active=True)

    # When the payment succeeds
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)

    # Then nothing goes to the organiser, the ledger keeps its commission...
    assert [c.params["destination"] for c in fake_stripe.posts("/v1/transfers")] == ["acct_v"]
    assert not Transfer.objects.filter(kind=Transfer.Kind.ORGANISER).exists()
    [entry] = LedgerEntry.objects.filter(checkout=sale.checkout,
                                         kind=LedgerEntry.Kind.COMMISSION)
    assert (entry.amount_cents, entry.organiser) == (200, index.organiser)

    # ...the organiser reads it as payable with its pending payouts...
    client.force_login(user)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("payouts:index")).content.decode()
    assert "Commission due aux organisateurs" in page
    assert "Réseau sans compte" in page
    assert "2,00\u00a0€" in page

    # ...and the reconciliation finds nothing wrong
    call_command("payments_reconcile")
    assert "0 mismatch(es)." in capsys.readouterr().out


def test_other_organisers_do_not_see_the_commission_payable(client, fake_stripe,
                                                           django_capture_on_commit_callbacks):
    index = MarketIndexPageFactory(organiser=OrganiserFactory(name="Réseau sans compte"))
    sale = Sale(fake_stripe, market=MarketPageFactory(parent=index))
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)
    other = MarketIndexPageFactory(organiser=OrganiserFactory(name="Autre réseau"))
    user = UserFactory(username="orga-autre")
    organiser_member_add(organiser=other.organiser, user=user, index_page=other)
    client.force_login(user)

    page = client.get(reverse("payouts:index")).content.decode()

    assert "Réseau sans compte" not in page
    assert "Commission due aux organisateurs" not in page


def test_reconciliation_checks_the_organiser_transfer(
    fake_stripe, django_capture_on_commit_callbacks, capsys
):
    organiser = OrganiserFactory(stripe_account_id="acct_o", transfers_active=True)
    sale = Sale(fake_stripe, market=market_of(organiser), vendor_account="acct_v",
                vendor_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)
    call_command("payments_reconcile")
    assert "0 mismatch(es)." in capsys.readouterr().out

    organiser_transfer = Transfer.objects.get(kind=Transfer.Kind.ORGANISER)
    fake_stripe.transfers[organiser_transfer.external_id]["amount_reversed"] = 50

    with pytest.raises(SystemExit):
        call_command("payments_reconcile")
    assert organiser_transfer.external_id in capsys.readouterr().out

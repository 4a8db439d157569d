from datetime import timedelta

import pytest
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import outbox_sweep
from payments.models import Transfer
from payments.services import payment_succeeded
from payments.tasks import send_transfer
from payments.transfers import (
    transfer_adjust_for_refund,
    transfer_retry,
    transfer_reversed,
    transfers_schedule,
)
from shop.models import LedgerEntry
from shop.orders.services import order_lines_cancel
from tests.factories import SolidarityProjectPageFactory

from .conftest import Sale

pytestmark = pytest.mark.django_db


def test_paid_checkout_transfers_the_vendor_net(fake_stripe, django_capture_on_commit_callbacks):
    # Given a vendor whose account can receive transfers
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=True)

    # When the Stripe payment is recorded as succeeded
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)

    # Then one transfer of the vendor net goes, tied to the charge and the checkout
    [call] = fake_stripe.posts("/v1/transfers")
    assert call.params["destination"] == "acct_v"
    assert call.params["source_transaction"] == "ch_1"
    assert call.params["amount"] == str(sale.order.vendor_net_cents) == "3800"
    assert call.params["currency"] == "eur"
    assert call.params["transfer_group"] == sale.checkout.reference
    assert call.params["metadata[order]"] == sale.order.number
    assert call.idempotency_key == f"transfer-order-{sale.order.pk}"
    transfer = Transfer.objects.get()
    assert (transfer.state, transfer.external_id) == (Transfer.State.SENT, "tr_1")


def test_source_transaction_from_an_expanded_charge(fake_stripe):
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=True)
    fake_stripe.intents["pi_1"]["latest_charge"] = {"id": "ch_expanded", "object": "charge"}
    [transfer] = transfers_schedule(checkout=sale.checkout)

    send_transfer(transfer.pk)

    assert fake_stripe.posts("/v1/transfers")[0].params["source_transaction"] == "ch_expanded"


def test_a_task_run_twice_makes_one_transfer(fake_stripe, django_capture_on_commit_callbacks):
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)
        payment_succeeded(payment=sale.payment)
    transfer = Transfer.objects.get()

    send_transfer.delay(transfer.pk)
    send_transfer(transfer.pk)

    assert len(fake_stripe.posts("/v1/transfers")) == 1
    assert Transfer.objects.count() == 1


def test_vendor_without_an_active_account_waits(fake_stripe, django_capture_on_commit_callbacks):
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)

    assert not fake_stripe.posts("/v1/transfers")
    transfer = Transfer.objects.get()
    assert transfer.state == Transfer.State.PENDING
    assert transfer.amount_cents == sale.order.vendor_net_cents


def test_demo_payments_make_no_transfer(fake_stripe, django_capture_on_commit_callbacks):
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=True)
    sale.payment.gateway = "demo"
    sale.payment.save()

    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)

    assert not Transfer.objects.exists()
    assert not fake_stripe.calls


def test_project_with_an_account_receives_its_share_and_the_donation(
    fake_stripe, django_capture_on_commit_callbacks
):
    project = SolidarityProjectPageFactory(stripe_account_id="acct_p", transfers_active=True)
    sale = Sale(fake_stripe, project=project, vendor_account="acct_v", vendor_active=True,
                donation_cents=300)

    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)

    project_call = next(c for c in fake_stripe.posts("/v1/transfers")
                        if c.params["destination"] == "acct_p")
    assert project_call.params["amount"] == str(400 + 300)
    assert project_call.params["source_transaction"] == "ch_1"
    assert project_call.idempotency_key == (
        f"transfer-project-{sale.checkout.reference}-{project.pk}"
    )
    assert Transfer.objects.get(kind=Transfer.Kind.PROJECT).state == Transfer.State.SENT


def test_project_without_an_account_stays_payable_in_the_ledger(
    fake_stripe, django_capture_on_commit_callbacks
):
    project = SolidarityProjectPageFactory()
    sale = Sale(fake_stripe, project=project, vendor_account="acct_v", vendor_active=True,
                donation_cents=300)

    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)

    assert not Transfer.objects.filter(kind=Transfer.Kind.PROJECT).exists()
    assert [c.params["destination"] for c in fake_stripe.posts("/v1/transfers")] == ["acct_v"]
    owed = sum(LedgerEntry.objects.filter(
        checkout=sale.checkout, project=project,
        kind__in=[LedgerEntry.Kind.SOLIDARITY, LedgerEntry.Kind.DONATION],
    ).values_list("amount_cents", flat=True))
    assert owed == 700


def _cancel_one_unit(order):
    line = order.lines.get()
    return order_lines_cancel(order=order, quantities={line.pk: 1})


def test_refund_after_the_transfer_reverses_the_vendor_part(
    fake_stripe, django_capture_on_commit_callbacks
):
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)

    refunded = _cancel_one_unit(sale.order)
    transfer_adjust_for_refund(order=sale.order, amount_cents=refunded)
    transfer_adjust_for_refund(order=sale.order, amount_cents=refunded)

    # 2 000 refunded: the vendor gives back its net on that unit (2 000 − 5 % commission)
    [call] = fake_stripe.posts(r"/v1/transfers/tr_\d+/reversals")
    assert call.params["amount"] == "1900"
    assert call.idempotency_key == f"reversal-{sale.order.pk}-2000"
    transfer = Transfer.objects.get()
    assert (transfer.reversed_cents, transfer.state) == (1900, Transfer.State.PARTIALLY_REVERSED)


def test_refund_before_the_transfer_makes_it_smaller(
    fake_stripe, django_capture_on_commit_callbacks
):
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)

    refunded = _cancel_one_unit(sale.order)
    transfer_adjust_for_refund(order=sale.order, amount_cents=refunded)
    sale.vendor.transfers_active = True
    sale.vendor.save()
    send_transfer(Transfer.objects.get().pk)

    assert not fake_stripe.posts(r"/v1/transfers/tr_\d+/reversals")
    [call] = fake_stripe.posts("/v1/transfers")
    assert call.params["amount"] == "1900"


def test_whole_order_refunded_before_the_transfer_sends_nothing(fake_stripe):
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=True)
    [transfer] = transfers_schedule(checkout=sale.checkout)
    line = sale.order.lines.get()

    refunded = order_lines_cancel(order=sale.order, quantities={line.pk: 2})
    transfer_adjust_for_refund(order=sale.order, amount_cents=refunded)
    send_transfer(transfer.pk)

    assert not fake_stripe.posts("/v1/transfers")
    transfer.refresh_from_db()
    assert (transfer.amount_cents, transfer.state) == (0, Transfer.State.REVERSED)


def test_transfer_reversed_event_updates_the_row(fake_stripe):
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=True)
    [transfer] = transfers_schedule(checkout=sale.checkout)
    send_transfer(transfer.pk)

    transfer_reversed(transfer={"id": "tr_1", "object": "transfer", "amount": 3800,
                                "amount_reversed": 3800, "reversed": True})

    transfer.refresh_from_db()
    assert (transfer.reversed_cents, transfer.state) == (3800, Transfer.State.REVERSED)


def test_a_refund_takes_the_projects_share_of_the_cancelled_unit_back_too(
    fake_stripe, django_capture_on_commit_callbacks
):
    # Given a sale of two 20 € units with 10 % to a project, both transfers sent
    project = SolidarityProjectPageFactory(stripe_account_id="acct_p", transfers_active=True)
    sale = Sale(fake_stripe, project=project, vendor_account="acct_v", vendor_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)

    # When one unit is cancelled and refunded
    refunded = _cancel_one_unit(sale.order)
    transfer_adjust_for_refund(order=sale.order, amount_cents=refunded)
    transfer_adjust_for_refund(order=sale.order, amount_cents=refunded)

    # Then the project gives back the share of that unit (10 % of 20 €), once
    project_transfer = Transfer.objects.get(kind=Transfer.Kind.PROJECT)
    reversals = [c for c in fake_stripe.posts(r"/v1/transfers/tr_\d+/reversals")
                 if c.path.endswith(f"{project_transfer.external_id}/reversals")]
    assert [c.params["amount"] for c in reversals] == ["200"]
    project_transfer.refresh_from_db()
    assert project_transfer.reversed_cents == 200


def test_a_refused_transfer_is_sent_by_a_later_attempt(
    fake_stripe, django_capture_on_commit_callbacks
):
    # Given Stripe refuses the first transfer (the platform's balance cannot cover it)
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=True)
    fake_stripe.refuse_transfers(1)
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)
    transfer = Transfer.objects.get()
    assert transfer.state == Transfer.State.FAILED
    assert transfer.failure_message == "Insufficient funds in Stripe account."
    message = OutboxMessage.objects.get(task="payments.tasks.send_transfer")
    assert (message.attempts, message.done_at) == (1, None)

    # When the outbox's sweep comes back to it once the delay has passed
    outbox_sweep(now=timezone.now() + timedelta(minutes=5))

    # Then the transfer is sent once, for the same row and amount
    transfer.refresh_from_db()
    assert (transfer.state, transfer.external_id) == (Transfer.State.SENT, "tr_1")
    assert transfer.failure_message == ""
    first, second = fake_stripe.posts("/v1/transfers")
    assert first.idempotency_key == transfer.idempotency_key == f"transfer-order-{sale.order.pk}"
    # Stripe answers a key it has seen with its first answer for 24 hours, a refusal
    # included: the attempt after a refusal asks under a key of its own, derived from ours
    assert second.idempotency_key.startswith(f"{transfer.idempotency_key}-")
    assert second.idempotency_key != first.idempotency_key
    assert second.params == first.params
    message.refresh_from_db()
    assert message.done_at is not None


def test_each_refusal_is_followed_by_an_attempt_under_a_new_key(
    fake_stripe,
):
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=True)
    [transfer] = transfers_schedule(checkout=sale.checkout)
    fake_stripe.refuse_transfers(2)
    send_transfer(transfer.pk)
    send_transfer(transfer.pk)
    assert Transfer.objects.get().state == Transfer.State.FAILED

    send_transfer(transfer.pk)

    keys = [call.idempotency_key for call in fake_stripe.posts("/v1/transfers")]
    assert len(set(keys)) == 3
    assert Transfer.objects.get().state == Transfer.State.SENT


def test_a_transfer_made_by_an_attempt_whose_answer_was_lost_is_not_made_twice(fake_stripe):
    # Given a refused transfer, then an attempt Stripe carried out but whose answer we lost
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=True)
    [transfer] = transfers_schedule(checkout=sale.checkout)
    fake_stripe.refuse_transfers(1)
    send_transfer(transfer.pk)
    fake_stripe.transfers["tr_lost"] = {
        "id": "tr_lost", "object": "transfer", "amount": 3800, "amount_reversed": 0,
        "destination": "acct_v", "reversed": False,
        "transfer_group": sale.checkout.reference, "metadata": {"transfer": str(transfer.pk)},
    }

    # When it is tried again from the back office
    transfer_retry(transfer=transfer)
    send_transfer(transfer.pk)

    # Then the transfer Stripe made is recorded, and no other is asked for
    transfer.refresh_from_db()
    assert (transfer.state, transfer.external_id) == (Transfer.State.SENT, "tr_lost")
    assert len(fake_stripe.posts("/v1/transfers")) == 1

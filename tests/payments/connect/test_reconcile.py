from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from outbox.models import OutboxMessage
from payments.models import Payment, Refund, Transfer
from payments.services import payment_succeeded
from payments.transfers import transfers_plan
from shop.models import Checkout

from .conftest import Sale

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(fake_stripe, django_capture_on_commit_callbacks):
    sale = Sale(fake_stripe, vendor_account="acct_v", vendor_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment=sale.payment)
    return sale


def test_clean_when_stripe_and_the_ledger_agree(fake_stripe, sent, capsys):
    call_command("payments_reconcile")

    out = capsys.readouterr().out
    assert "1 checkout(s) checked, 0 mismatch(es)." in out
    assert "GET" in {call.method for call in fake_stripe.calls}


def test_lists_each_mismatch_and_fails(fake_stripe, sent, capsys):
    fake_stripe.charges["ch_1"]["amount_refunded"] = 500
    fake_stripe.transfers["tr_1"]["amount_reversed"] = 100

    with pytest.raises(SystemExit) as exit_info:
        call_command("payments_reconcile")

    out = capsys.readouterr().out
    assert exit_info.value.code == 1
    reference = sent.checkout.reference
    assert f"{reference}: amount refunded: ours 0, Stripe 500" in out
    assert f"{reference}: transfer tr_1 reversed: ours 0, Stripe 100" in out
    assert f"{reference}: transfer tr_1 net for the beneficiary (ledger): ours 3800, Stripe 3700" \
        in out
    assert "3 mismatch(es)" in out


def test_since_skips_older_checkouts(fake_stripe, sent, capsys):
    before = len(fake_stripe.calls)

    call_command("payments_reconcile", since="2999-01-01")

    assert "0 checkout(s) checked" in capsys.readouterr().out
    assert len(fake_stripe.calls) == before


def _reconcile(capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        call_command("payments_reconcile")
    assert exit_info.value.code == 1
    return capsys.readouterr().out


def _age(model, pk, **fields_ago):
    """Move the dates of a row back: `created_at=timedelta(hours=2)`."""
    model.objects.filter(pk=pk).update(
        **{name: timezone.now() - ago for name, ago in fields_ago.items()}
    )


def _unsettled(sale, intent, *, state, status, refunded=0, age=timedelta(hours=1)):
    """An earlier payment of `sale`'s checkout that we do not count as paid, and what
    Stripe says of its PaymentIntent."""
    payment = Payment.objects.create(checkout=sale.checkout, gateway="stripe",
                                     external_id=intent, amount_cents=5000, state=state)
    _age(Payment, payment.pk, created_at=age)
    charge = f"ch_{intent[3:]}"
    fake = sale.fake
    fake.intents[intent] = {"id": intent, "object": "payment_intent", "status": status,
                            "amount": 5000, "latest_charge": charge}
    fake.charges[charge] = {"id": charge, "object": "charge", "amount": 5000,
                            "amount_refunded": refunded}
    return payment


def test_lists_payments_charged_without_an_order(fake_stripe, sent, capsys):
    # Given earlier payments of the checkout: a replaced one the shopper confirmed anyway,
    # a failed one Stripe charged, one charged then refunded in full, one never confirmed,
    # and one too recent for its webhook to have been missed
    sent.fake = fake_stripe
    _unsettled(sent, "pi_old", state=Payment.State.CANCELLED, status="succeeded")
    _unsettled(sent, "pi_failed", state=Payment.State.FAILED, status="succeeded")
    _unsettled(sent, "pi_back", state=Payment.State.CANCELLED, status="succeeded",
               refunded=5000)
    _unsettled(sent, "pi_open", state=Payment.State.CREATED, status="requires_payment_method")
    _unsettled(sent, "pi_now", state=Payment.State.CREATED, status="succeeded",
               age=timedelta(seconds=10))

    # When the reconciliation runs
    out = _reconcile(capsys)

    # Then the two charges that bought nothing are listed, and nothing else
    reference = sent.checkout.reference
    assert f"{reference}: payment pi_old charged without an order: ours cancelled, " \
        "Stripe succeeded" in out
    assert f"{reference}: payment pi_failed charged without an order: ours failed, " \
        "Stripe succeeded" in out
    assert "pi_back" not in out and "pi_open" not in out and "pi_now" not in out
    assert "2 mismatch(es)" in out
    asked = {call.path for call in fake_stripe.calls if call.method == "GET"}
    assert "/v1/payment_intents/pi_now" not in asked


def test_lists_refunds_not_reflected(fake_stripe, sent, capsys):
    # Given a refund made in Stripe's dashboard that we never heard of, one of ours that
    # Stripe made, one of ours never made for two hours, one just recorded, one refused
    ours_made = Refund.objects.create(payment=sent.payment, reason=Refund.Reason.CANCELLED,
                                      amount_cents=300, state=Refund.State.SUCCEEDED)
    made = fake_stripe.refund("ch_1", 300, our_id=str(ours_made.pk))
    Refund.objects.filter(pk=ours_made.pk).update(external_id=made["id"])
    elsewhere = fake_stripe.refund("ch_1", 500)
    stuck = Refund.objects.create(payment=sent.payment, reason=Refund.Reason.CANCELLED,
                                  amount_cents=700)
    _age(Refund, stuck.pk, created_at=timedelta(hours=2))
    Refund.objects.create(payment=sent.payment, reason=Refund.Reason.CANCELLED,
                          amount_cents=800)
    refused = Refund.objects.create(payment=sent.payment, reason=Refund.Reason.CANCELLED,
                                    amount_cents=900, state=Refund.State.FAILED,
                                    failure_message="Charge already refunded")

    out = _reconcile(capsys)

    reference = sent.checkout.reference
    assert f"{reference}: refund {elsewhere['id']} of 500 cents (succeeded): ours missing, " \
        "Stripe present" in out
    assert made["id"] not in out
    assert f"{reference}: refund #{stuck.pk} of 700 cents: ours pending, Stripe missing" in out
    assert f"{reference}: refund #{refused.pk} of 900 cents (Charge already refunded): " \
        "ours failed, Stripe missing" in out
    assert "800 cents" not in out


def test_lists_transfers_failed_or_missing(fake_stripe, capsys):
    # Given a paid order an hour old with no transfer planned
    forgotten = Sale(fake_stripe, intent="pi_f")
    Checkout.objects.filter(pk=forgotten.checkout.pk).update(
        paid_at=timezone.now() - timedelta(hours=2))
    # a transfer waiting for two days though its vendor's account is active
    waiting = Sale(fake_stripe, vendor_account="acct_w", vendor_active=True, intent="pi_w")
    [late] = transfers_plan(checkout=waiting.checkout)
    _age(Transfer, late.pk, updated_at=timedelta(days=2))
    # one waiting as long for an account still incomplete, and one Stripe refused
    incomplete = Sale(fake_stripe, vendor_account="acct_i", intent="pi_i")
    [patient] = transfers_plan(checkout=incomplete.checkout)
    _age(Transfer, patient.pk, updated_at=timedelta(days=2))
    refused = Sale(fake_stripe, vendor_account="acct_r", vendor_active=True, intent="pi_r")
    [failed] = transfers_plan(checkout=refused.checkout)
    Transfer.objects.filter(pk=failed.pk).update(
        state=Transfer.State.FAILED, failure_message="Insufficient funds in Stripe account.")

    out = _reconcile(capsys)

    assert f"{forgotten.checkout.reference}: order {forgotten.order.number} vendor " \
        "transfer of 3800 cents: ours missing, Stripe missing" in out
    assert f"{waiting.checkout.reference}: transfer #{late.pk} of 3800 cents to acct_w " \
        "waiting for a day though the account is active: ours pending, Stripe missing" in out
    assert f"{refused.checkout.reference}: transfer #{failed.pk} of 3800 cents to acct_r " \
        "(Insufficient funds in Stripe account.): ours failed, Stripe missing" in out
    assert incomplete.checkout.reference not in out
    assert "3 mismatch(es)" in out


def test_lists_follow_up_tasks_given_up(fake_stripe, sent, capsys):
    transfer = Transfer.objects.get()
    OutboxMessage.objects.create(
        key=f"transfer-send-{transfer.pk}-7", task="payments.tasks.send_transfer",
        args=[transfer.pk], available_at=timezone.now(), attempts=12,
        last_error="APIConnectionError: down", given_up_at=timezone.now())
    OutboxMessage.objects.create(
        key="webhook-evt_9", task="payments.tasks.process_webhook_event", args=[999],
        available_at=timezone.now(), attempts=12, given_up_at=timezone.now())
    OutboxMessage.objects.create(
        key="webhook-evt_10", task="payments.tasks.process_webhook_event", args=[1000],
        available_at=timezone.now(), attempts=3)

    out = _reconcile(capsys)

    assert f"{sent.checkout.reference}: follow-up payments.tasks.send_transfer given " \
        "up after 12 attempts (APIConnectionError: down): ours given up, Stripe missing" in out
    assert "webhook-evt_9: follow-up payments.tasks.process_webhook_event given up after " \
        "12 attempts" in out
    assert "evt_10" not in out
    assert "2 mismatch(es)" in out


def test_since_applies_to_every_check(fake_stripe, sent, capsys):
    sent.fake = fake_stripe
    _unsettled(sent, "pi_old", state=Payment.State.CANCELLED, status="succeeded")
    Refund.objects.create(payment=sent.payment, reason=Refund.Reason.CANCELLED,
                          amount_cents=900, state=Refund.State.FAILED)
    Transfer.objects.update(state=Transfer.State.FAILED)
    OutboxMessage.objects.update(given_up_at=timezone.now())
    before = len(fake_stripe.calls)

    call_command("payments_reconcile", since="2999-01-01")

    assert "0 checkout(s) checked, 0 mismatch(es)." in capsys.readouterr().out
    assert len(fake_stripe.calls) == before

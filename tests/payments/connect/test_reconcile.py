import pytest
from django.core.management import call_command

from payments.services import payment_succeeded

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

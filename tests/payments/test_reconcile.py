"""The nightly reconciliation: what differs goes by e-mail to the platform admins."""

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.utils import timezone

from outbox.models import OutboxMessage
from payments.models import Payment, Refund
from payments.reconcile import payments_reconcile
from payments.tasks import reconcile_nightly
from tests.factories import ProductFactory, UserFactory, paid_checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins():
    return [UserFactory(username="admin", is_superuser=True, is_staff=True),
            UserFactory(username="admin-2", is_superuser=True),
            UserFactory(username="former", is_superuser=True, is_active=False),
            UserFactory(username="orga", is_staff=True)]


def _refused_refund() -> Refund:
    checkout = paid_checkout([(ProductFactory(price_cents=2000, stock=5), 1)])
    payment = Payment.objects.create(checkout=checkout, gateway="stripe", external_id="pi_9",
                                     amount_cents=checkout.total_cents,
                                     state=Payment.State.SUCCEEDED)
    return Refund.objects.create(payment=payment, reason=Refund.Reason.CANCELLED,
                                 amount_cents=900, state=Refund.State.FAILED,
                                 failure_message="Charge already refunded")


def test_differences_are_mailed_once_to_the_active_platform_admins(admins):
    # Given a refund Stripe refused and a follow-up task given up
    refund = _refused_refund()
    OutboxMessage.objects.create(key="webhook-evt_9", task="payments.tasks.process_webhook_event",
                                 args=[9], available_at=timezone.now(), attempts=12,
                                 given_up_at=timezone.now())

    # When the nightly reconciliation runs
    count = reconcile_nightly()

    # Then one e-mail, in French, lists both for the active superusers
    assert count == 2
    [message] = mail.outbox
    assert sorted(message.to) == ["admin-2@example.org", "admin@example.org"]
    assert "2 écarts" in message.subject
    reference = refund.payment.checkout.reference
    for body in (message.body, message.alternatives[0][0]):
        assert f"{reference} : remboursement n° {refund.pk} de 900 centimes " \
            "(Charge already refunded) : chez nous échoué, chez Stripe absent" in body
        assert "webhook-evt_9 : tâche de suivi payments.tasks.process_webhook_event " \
            "abandonnée après 12 tentatives" in body
        assert "payments_reconcile" in body


def test_nothing_differs_nothing_is_mailed(admins):
    paid_checkout([(ProductFactory(price_cents=2000, stock=5), 1)])

    assert reconcile_nightly() == 0
    assert mail.outbox == []


def test_the_function_returns_what_the_command_prints():
    refund = _refused_refund()

    result = payments_reconcile()

    assert result.checked == 0  # paid through the demo gateway: Stripe is not asked
    assert [str(m) for m in result.mismatches] == [
        f"{refund.payment.checkout.reference}: refund #{refund.pk} of 900 cents "
        "(Charge already refunded): ours failed, Stripe missing"
    ]


def test_runs_every_night_at_half_past_three_paris_time():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == "payments.tasks.reconcile_nightly")

    assert entry["schedule"] == crontab(hour=3, minute=30)
    assert settings.CELERY_TIMEZONE == "Europe/Paris"

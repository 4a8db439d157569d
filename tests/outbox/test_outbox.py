"""The outbox: follow-up work recorded with the transaction that decided it, run once
committed, retried with growing delays, given up after a while and tried again from the
back office by platform admins only."""

from datetime import timedelta

import pytest
from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from markets.services import organiser_member_add
from outbox.models import OutboxMessage
from outbox.services import MAX_ATTEMPTS, RETRY_LATER, outbox_add, outbox_sweep
from tests.factories import (
    MarketIndexPageFactory,
    OrganiserFactory,
    UserFactory,
    VendorFactory,
)
from vendors.services import vendor_member_add

pytestmark = pytest.mark.django_db

CALLS: list[str] = []
FAILURES = {"left": 0}


@shared_task
def note(word: str) -> str:
    CALLS.append(word)
    return "noted"


@shared_task
def flaky(word: str) -> str:
    if FAILURES["left"]:
        FAILURES["left"] -= 1
        raise ConnectionError("the mail server is down")
    CALLS.append(word)
    return "noted"


@shared_task
def not_yet(word: str) -> str:
    CALLS.append(word)
    return f"{RETRY_LATER}: still waiting"


NOTE = "tests.outbox.test_outbox.note"
FLAKY = "tests.outbox.test_outbox.flaky"


@pytest.fixture(autouse=True)
def _clean():
    CALLS.clear()
    FAILURES["left"] = 0


def test_the_work_runs_once_committed_and_once_per_key(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox_add(task=NOTE, args=["bonjour"], key="greeting")
        outbox_add(task=NOTE, args=["bonjour"], key="greeting")
        assert CALLS == []

    assert CALLS == ["bonjour"]
    message = OutboxMessage.objects.get()
    assert message.done_at is not None and message.attempts == 1


def test_nothing_runs_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox_add(task=NOTE, args=["perdu"], key="lost")
        transaction.set_rollback(True)

    assert CALLS == []
    assert not OutboxMessage.objects.exists()


def test_a_failure_is_retried_later_by_the_sweep(django_capture_on_commit_callbacks):
    FAILURES["left"] = 1
    with django_capture_on_commit_callbacks(execute=True):
        outbox_add(task=FLAKY, args=["merci"], key="thanks")
    message = OutboxMessage.objects.get()
    assert (message.attempts, message.done_at) == (1, None)
    assert "mail server is down" in message.last_error

    assert outbox_sweep() == {}  # not due yet
    assert outbox_sweep(now=message.available_at) == {"done": 1}

    assert CALLS == ["merci"]
    assert OutboxMessage.objects.get().done_at is not None


def test_work_whose_worker_never_ran_it_is_run_by_the_sweep():
    # No on-commit dispatch here: the broker was down, or the worker died.
    outbox_add(task=NOTE, args=["plus tard"], key="later")

    assert outbox_sweep() == {"done": 1}
    assert outbox_sweep() == {}
    assert CALLS == ["plus tard"]


def test_a_task_may_keep_what_it_wrote_and_ask_to_run_again():
    outbox_add(task="tests.outbox.test_outbox.not_yet", args=["encore"], key="again")

    assert outbox_sweep() == {"failed": 1}

    message = OutboxMessage.objects.get()
    assert message.done_at is None and message.last_error == "still waiting"
    assert message.available_at > timezone.now()


def test_the_work_is_given_up_after_many_attempts_and_retried_from_the_back_office(
    client, django_capture_on_commit_callbacks
):
    FAILURES["left"] = MAX_ATTEMPTS
    outbox_add(task=FLAKY, args=["enfin"], key="finally")
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        later += timedelta(hours=2)
        outbox_sweep(now=later)
    message = OutboxMessage.objects.get()
    assert message.given_up_at is not None and message.attempts == MAX_ATTEMPTS
    assert outbox_sweep(now=later + timedelta(days=1)) == {}
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    listing = client.get(reverse("outbox:index")).content.decode()
    assert "finally" in listing and reverse("outbox:retry", args=[message.pk]) in listing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:retry", args=[message.pk]))

    assert response.status_code == 302
    assert CALLS == ["enfin"]
    assert OutboxMessage.objects.get().done_at is not None


@pytest.mark.parametrize("who", ["vendor", "organiser"])
def test_only_platform_admins_see_and_retry_the_follow_up_tasks(client, who):
    message = outbox_add(task=NOTE, args=["secret"], key="checkout-emails-42")
    OutboxMessage.objects.filter(pk=message.pk).update(given_up_at=timezone.now())
    user = UserFactory()
    if who == "vendor":
        vendor_member_add(vendor=VendorFactory(), user=user)
    else:
        index = MarketIndexPageFactory(organiser=OrganiserFactory())
        organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    client.force_login(user)

    listing = client.get(reverse("outbox:index"))
    inspect = client.get(reverse("outbox:inspect", args=[message.pk]))
    retry = client.post(reverse("outbox:retry", args=[message.pk]))

    assert listing.status_code in (302, 403) and inspect.status_code in (302, 403)
    assert retry.status_code == 403
    assert "checkout-emails-42" not in listing.content.decode()
    assert OutboxMessage.objects.get().given_up_at is not None
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("outbox:index") not in home


def test_the_listing_makes_as_many_queries_whatever_it_shows(
    client, django_assert_max_num_queries
):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for number in range(30):
        outbox_add(task=NOTE, args=[str(number)], key=f"n-{number}")
    client.get(reverse("outbox:index"))

    with django_assert_max_num_queries(12):
        assert client.get(reverse("outbox:index")).status_code == 200

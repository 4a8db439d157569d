"""Markets open and close at their dates; the vendors and the organiser's team are told
once, by the `announce_markets` beat task."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from markets.lifecycle import MarketAnnouncement, markets_announce
from markets.models import MarketParticipation
from markets.tasks import announce_markets
from tests.factories import MarketPageFactory, ParticipationFactory, VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(db):
    now = timezone.now()
    market = MarketPageFactory(title="Marché de Noël du quai",
                               opens_at=now + timedelta(hours=1),
                               closes_at=now + timedelta(days=20))
    market.get_parent().specific.organiser.contact_email = "equipe@example.org"
    market.get_parent().specific.organiser.save()
    ParticipationFactory(market=market, vendor=VendorFactory(email="vend@example.org"))
    ParticipationFactory(market=market, vendor=VendorFactory(email="attend@example.org"),
                         state=MarketParticipation.State.APPLIED)
    return market


def addressed_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_nothing_is_announced_before_the_opening(market, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        markets_announce(now=market.opens_at - timedelta(minutes=1))

    assert mail.outbox == []


def test_the_opening_is_announced_once_to_approved_vendors_and_the_team(
    market, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = markets_announce(now=market.opens_at + timedelta(minutes=1))
        second = markets_announce(now=market.opens_at + timedelta(minutes=2))

    assert first == [(market.pk, MarketAnnouncement.Kind.OPENED)] and second == []
    assert len(addressed_to("vend@example.org")) == 1
    assert "Marché de Noël du quai" in addressed_to("vend@example.org")[0].subject
    assert addressed_to("attend@example.org") == []
    assert len(addressed_to("equipe@example.org")) == 1


def test_the_closing_asks_vendors_to_prepare_their_orders(market,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        markets_announce(now=market.opens_at + timedelta(minutes=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        markets_announce(now=market.closes_at + timedelta(minutes=1))

    to_vendor = addressed_to("vend@example.org")
    assert len(to_vendor) == 1 and "commandes" in to_vendor[0].subject
    assert reverse("wagtailadmin_home") in to_vendor[0].body


def test_an_announcement_days_late_is_recorded_but_not_sent(market,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        markets_announce(now=market.opens_at + timedelta(days=3))

    assert mail.outbox == []
    assert MarketAnnouncement.objects.get(market=market).sent is False


def test_a_paused_market_is_announced_open_and_an_unpublished_one_is_not(
    market, django_capture_on_commit_callbacks
):
    market.is_paused = True
    market.save()
    draft = MarketPageFactory(opens_at=market.opens_at, closes_at=market.closes_at, live=False)

    with django_capture_on_commit_callbacks(execute=True):
        announced = markets_announce(now=market.opens_at + timedelta(minutes=1))

    assert announced == [(market.pk, MarketAnnouncement.Kind.OPENED)]
    assert not MarketAnnouncement.objects.filter(market=draft).exists()


def test_the_beat_task_runs_the_announcements(market, settings):
    assert "markets.tasks.announce_markets" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert announce_markets() == 0


def test_the_market_form_states_the_closing_grace_period(admin_client, market, settings):
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[market.pk])).content
    text = html.decode()

    assert f"{settings.MARKET_CLOSING_GRACE_MINUTES} minutes" in text
    assert 'name="go_live_at"' not in text and 'name="expire_at"' not in text

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.models import MarketPage
from markets.models import MarketStatus
from tests.factories import MarketPageFactory

pytestmark = pytest.mark.django_db


def test_a_market_closing_before_it_opens_is_refused():
    now = timezone.now()
    market = MarketPage(title="Marché", slug="m", opens_at=now, closes_at=now - timedelta(hours=1))

    with pytest.raises(ValidationError) as error:
        market.clean()

    assert "closes_at" in error.value.message_dict


def test_the_status_follows_the_dates_and_the_pause():
    market = MarketPageFactory()
    now = timezone.now()

    assert market.status_at(market.opens_at - timedelta(seconds=1)) == MarketStatus.UPCOMING
    assert market.status_at(now) == MarketStatus.OPEN
    assert market.status_at(market.closes_at) == MarketStatus.CLOSED
    market.is_paused = True
    assert market.status_at(now) == MarketStatus.PAUSED
    assert market.status_at(market.closes_at + timedelta(days=1)) == MarketStatus.CLOSED


def test_the_page_tree_only_takes_meaningful_shapes():
    from cms.models import (
        HomePage,
        LegalPage,
        MarketIndexPage,
        SolidarityProjectPage,
        StandardPage,
    )

    assert MarketPage.allowed_parent_page_models() == [MarketIndexPage]
    assert SolidarityProjectPage.allowed_parent_page_models() == [MarketIndexPage]
    assert set(HomePage.allowed_subpage_models()) == {MarketIndexPage, StandardPage, LegalPage}
    assert MarketPage.allowed_subpage_models() == []

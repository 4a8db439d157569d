from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import MarketPageFactory

API = "/api/v1"


@pytest.fixture
def api_get(client):
    """GET an API path with query parameters (lists repeat the parameter)."""

    def get(path, **params):
        return client.get(f"{API}{path}", params)

    return get


def closed_market(**kwargs):
    now = timezone.now()
    return MarketPageFactory(
        opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=10), **kwargs
    )


def upcoming_market(**kwargs):
    now = timezone.now()
    return MarketPageFactory(
        opens_at=now + timedelta(days=10), closes_at=now + timedelta(days=40), **kwargs
    )


def paused_market(**kwargs):
    return MarketPageFactory(is_paused=True, **kwargs)

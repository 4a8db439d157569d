"""Redis down: the storefront keeps serving, uncached, and sessions live on in the database."""

import logging
import os
import socket
import time

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from config import cache as resilient_cache
from config.cache import redis_cache_settings
from shop.models import CartLine
from tests.factories import MarketPageFactory, product_in_market, product_url

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The production cache configuration, pointed at a port nobody listens on."""
    settings.CACHES = {"default": redis_cache_settings(f"redis://127.0.0.1:{closed_port()}/0")}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_the_storefront_serves_its_pages_while_redis_is_down(client, redis_down):
    # given an open market with a product, and a cache nobody answers for
    market = MarketPageFactory()
    product = product_in_market(market, title="Théière en fonte", stock=3)

    # when a shopper browses, fills a basket and starts the checkout
    pages = {path: client.get(path).status_code for path in [
        "/", market.url, product_url(market, product),
        f"/api/v1/markets/{market.pk}/products", reverse("shop:basket"),
    ]}
    added = client.post(reverse("shop:basket_add"), {
        "market": market.pk, "product": product.pk, "quantity": 2,
    })
    basket = client.get(reverse("shop:basket"))
    contact = client.get(reverse("shop:checkout_contact"))
    health = client.get("/healthz")

    # then every page answers and the basket is kept (the session lives in the database)
    assert pages == dict.fromkeys(pages, 200)
    assert added.status_code == 302
    assert basket.status_code == 200
    assert "Théière en fonte" in basket.content.decode()
    assert contact.status_code == 200
    assert {line.product_id: line.quantity for line in CartLine.objects.all()} == {product.pk: 2}
    assert (health.status_code, health.json()["status"]) == (200, "degraded")
    assert health.json()["checks"]["cache"] == "error"


def test_every_cache_operation_is_a_miss_while_redis_is_down(redis_down):
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_or_set("key", "computed") == "computed"
    assert cache.set("key", "value") is None
    assert cache.add("key", "value") is False
    assert cache.get_many(["a", "b"]) == {}
    cache.set_many({"a": 1, "b": 2})
    assert cache.has_key("key") is False
    assert cache.touch("key") is False
    assert cache.delete("key") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.clear() is False
    with pytest.raises(ValueError):
        cache.incr("counter")


def test_a_dead_redis_is_reported_once_not_at_every_call(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for _ in range(20):
            cache.get("key")

    warnings = [record for record in caplog.records if record.name == "config.cache"]
    assert len(warnings) == 1
    assert "Redis" in warnings[0].getMessage()


def test_a_dead_redis_costs_a_page_no_noticeable_wait(redis_down):
    started = time.monotonic()
    for _ in range(20):
        cache.get("key")

    assert time.monotonic() - started < 2


def test_the_cache_uses_the_resilient_backend_with_short_timeouts():
    config = redis_cache_settings("redis://redis:6379/0")

    assert config["BACKEND"] == "config.cache.ResilientRedisCache"
    assert config["OPTIONS"]["socket_connect_timeout"] <= 1
    assert config["OPTIONS"]["socket_timeout"] <= 1


@pytest.mark.redis
def test_a_live_redis_still_caches(settings):
    settings.CACHES = {"default": redis_cache_settings(os.environ["REDIS_URL"])}
    key = f"test-cache-{time.monotonic_ns()}"

    cache.set(key, {"a": 1}, timeout=10)

    assert cache.get(key) == {"a": 1}
    cache.delete(key)


@pytest.mark.redis
def test_what_could_not_be_written_during_an_outage_is_not_served_stale_after(
    settings, monkeypatch
):
    # given a session-like entry cached before Redis goes away
    settings.CACHES = {"default": redis_cache_settings(os.environ["REDIS_URL"])}
    monkeypatch.setattr(resilient_cache, "RETRY_AFTER_SECONDS", 0)
    key = f"test-cache-{time.monotonic_ns()}"
    cache.set(key, "logged in", timeout=60)

    # when it is deleted (a logout) while Redis cannot be reached
    with monkeypatch.context() as outage:
        def unreachable(*args, **kwargs):
            raise redis.exceptions.ConnectionError("Connection refused.")

        outage.setattr(redis.Redis, "execute_command", unreachable)
        assert cache.delete(key) is False

    # then once Redis is back the old value is not served again
    assert cache.get(key) is None

"""The Redis cache, read as a miss while Redis cannot be reached: the cache only saves work,
so a dead Redis may slow pages down but must not fail them (sessions are `cached_db` and
fall back to the database).

After a failure the process leaves Redis alone for a few seconds instead of paying a
connection timeout at every call, and says so in the log once a minute, not at every call.
Writes lost meanwhile (a session saved or deleted at logout, an entry invalidated) would
leave Redis with stale values once it is back, so the keys are remembered and deleted
before anything else is read from Redis again.
"""

import logging
import math
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
SOCKET_TIMEOUT_SECONDS = 0.5
RETRY_AFTER_SECONDS = 5.0
WARN_EVERY_SECONDS = 60.0
# Beyond this many lost writes only their expiry makes the stale entries go.
MAX_REMEMBERED_KEYS = 10_000


def redis_cache_settings(url: str) -> dict:
    """The `CACHES["default"]` entry for a Redis server."""
    return {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "market",
        "OPTIONS": {
            "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
            "socket_timeout": SOCKET_TIMEOUT_SECONDS,
        },
    }


class _Outage:
    """What this process knows of one Redis server being unreachable (shared by threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.last_warning = -math.inf
        self.failed_calls = 0
        self.unwritten: set[str] = set()
        self.forgotten = 0

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until

    def remember(self, keys) -> None:
        with self.lock:
            for key in keys:
                if len(self.unwritten) < MAX_REMEMBERED_KEYS:
                    self.unwritten.add(key)
                else:
                    self.forgotten += 1

    def fail(self, error: Exception, keys) -> None:
        self.remember(keys)
        now = time.monotonic()
        with self.lock:
            self.down_until = now + RETRY_AFTER_SECONDS
            self.failed_calls += 1
            if now - self.last_warning < WARN_EVERY_SECONDS:
                return
            self.last_warning = now
        logger.warning("Redis cache unreachable, pages are served without it: %s", error)

    def skip(self, keys) -> None:
        self.remember(keys)
        with self.lock:
            self.failed_calls += 1

    def delete_unwritten(self, client: RedisCacheClient) -> None:
        """Delete what could not be written during the outage, before anything is read."""
        with self.lock:
            keys, self.unwritten = self.unwritten, set()
        try:
            client.get_client(write=True).delete(*keys)
        except Exception:
            self.remember(keys)
            raise

    def recovered(self) -> None:
        with self.lock:
            failed_calls, self.failed_calls = self.failed_calls, 0
            forgotten, self.forgotten = self.forgotten, 0
            self.last_warning = -math.inf
        logger.info("Redis cache reachable again after %s failed calls", failed_calls)
        if forgotten:
            logger.warning("%s cache writes lost during the outage may be served stale "
                           "until they expire", forgotten)


_outages: dict[tuple, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(servers) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(tuple(servers), _Outage())


def _key(key, *args):
    return [key]


def _no_keys(*args):
    return []


def _raise_not_found(key, *args):
    raise ValueError(f"Key '{key}' not found.")


def _degrades(miss, written=_no_keys):
    """Run the Redis call, or answer `miss(*args)` when Redis cannot be reached; `written`
    names the keys a failed write leaves stale."""

    def decorate(name):
        operation = getattr(RedisCacheClient, name)

        def call(self, *args):
            outage = self._outage
            if outage.is_open():
                outage.skip(written(*args))
                return miss(*args)
            try:
                if outage.unwritten:
                    outage.delete_unwritten(self)
                result = operation(self, *args)
            except UNREACHABLE as error:
                outage.fail(error, written(*args))
                return miss(*args)
            if outage.failed_calls:
                outage.recovered()
            return result

        call.__name__ = name
        return call

    return decorate


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._outage = _outage_of(servers)

    get = _degrades(lambda key, default: default)("get")
    get_many = _degrades(lambda keys: {})("get_many")
    has_key = _degrades(lambda key: False)("has_key")
    add = _degrades(lambda *args: False, _key)("add")
    set = _degrades(lambda *args: None, _key)("set")
    touch = _degrades(lambda *args: False, _key)("touch")
    delete = _degrades(lambda key: False, _key)("delete")
    incr = _degrades(_raise_not_found, _key)("incr")
    set_many = _degrades(lambda *args: None, lambda data, timeout: list(data))("set_many")
    delete_many = _degrades(lambda keys: None, lambda keys: list(keys))("delete_many")
    clear = _degrades(lambda: False)("clear")


class ResilientRedisCache(RedisCache):
    """Django's Redis cache whose every operation is a miss while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient

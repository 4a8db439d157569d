import os

import pytest
from django.db import connection

from tests.factories import ProductFactory, UserFactory, VendorFactory
from vendors.services import vendor_member_add


@pytest.fixture(autouse=True)
def _celery_join_flag():
    """Eager tasks run from several threads at once (the concurrency tests) can leave
    Celery's process-wide "inside a task" flag set; clear it so later tests start clean."""
    yield
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


def pytest_collection_modifyitems(config, items):
    on_postgres = connection.vendor == "postgresql"
    has_redis = bool(os.environ.get("REDIS_URL"))
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL to a PostgreSQL URL")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL")
    # A missing Chromium fails the browser tests (tests/e2e/conftest.py); only this says
    # they are left out on purpose.
    browser_off = os.environ.get("BROWSER_TESTS") == "off"
    skip_browser = pytest.mark.skip(reason="BROWSER_TESTS=off: browser tests left out")
    for item in items:
        if "e2e" in item.keywords and browser_off:
            item.add_marker(skip_browser)
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not has_redis:
            item.add_marker(skip_redis)



class VendorSide:
    def __init__(self, name):
        self.vendor = VendorFactory(name=f"Structure {name}", slug=f"structure-{name}")
        self.user = UserFactory(username=f"vendeur-{name}")
        vendor_member_add(vendor=self.vendor, user=self.user)
        self.product = ProductFactory(
            vendor=self.vendor, title=f"Produit secret {name}", slug=f"produit-{name}"
        )


@pytest.fixture
def vendor_a(db):
    return VendorSide("a")


@pytest.fixture
def vendor_b(db):
    return VendorSide("b")


@pytest.fixture
def broker_down(monkeypatch):
    """Tasks go through the broker (not eager), and the broker refuses every connection."""
    from celery import Celery
    from kombu import Connection
    from kombu.exceptions import OperationalError

    from config.celery import app

    def refused(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(Connection, "ensure_connection", refused)
    monkeypatch.setattr(Celery, "send_task", refused)

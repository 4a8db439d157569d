"""Loading the demo in tests: once per module, inside a transaction rolled back at the end,
with the network refused."""

import io
import socket
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


def load_demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def refuse_network(*args, **kwargs):
    raise AssertionError("load_demo must not open a network connection")


@contextmanager
def demo_database(django_db_blocker, media_root):
    """A transaction, rolled back on exit, for a module's demo; the network is refused."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media_root), DEBUG=False),
        transaction.atomic(),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(socket.socket, "connect", refuse_network)
        patch.setattr(socket, "create_connection", refuse_network)
        yield
        transaction.set_rollback(True)

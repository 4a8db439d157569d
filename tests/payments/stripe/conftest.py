"""Stripe tests run against localstripe, a fake Stripe server started once per test
session on a free loopback port: no network, no account."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import stripe

from tests.payments.conftest import Shop

WEBHOOK_SECRET = "whsec_test_platform"  # noqa: S105
CONNECT_WEBHOOK_SECRET = "whsec_test_connect"  # noqa: S105


def _localstripe_executable() -> str | None:
    beside_python = Path(sys.executable).with_name("localstripe")
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("localstripe")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    host, port = url.removeprefix("http://").split(":")
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"localstripe exited with code {process.returncode}")
        try:
            with socket.create_connection((host, int(port)), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"localstripe did not answer on {url}")


@pytest.fixture(scope="session")
def localstripe_url():
    executable = _localstripe_executable()
    if executable is None:
        pytest.skip("the localstripe executable is not installed (pip install localstripe)")
    port = _free_port()
    process = subprocess.Popen(
        [executable, "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def stripe_settings(settings, localstripe_url):
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"  # noqa: S105
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe"
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_PAYMENT_INTENT_PARAMS = {}
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_WEBHOOK_SECRET
    return settings


@pytest.fixture
def stripe_api(stripe_settings) -> stripe.StripeClient:
    """A client on localstripe, playing the shopper's browser and Stripe's dashboard."""
    return stripe.StripeClient(stripe_settings.STRIPE_SECRET_KEY,
                               base_addresses={"api": stripe_settings.STRIPE_API_BASE})


@pytest.fixture
def stripe_shop(db, client, stripe_settings) -> Shop:
    return Shop(client)

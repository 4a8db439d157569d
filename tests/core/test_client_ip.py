"""The client's address as seen through a configured number of trusted proxies."""

import pytest
from django.test import RequestFactory

from config.client_ip import client_ip_address


def request(x_forwarded_for=None, remote_addr="10.0.0.2"):
    headers = {"REMOTE_ADDR": remote_addr}
    if x_forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = x_forwarded_for
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(("count", "x_forwarded_for", "client"), [
    (0, None, "10.0.0.2"),
    (0, "203.0.113.66", "10.0.0.2"),
    (1, "203.0.113.66", "203.0.113.66"),
    (1, "1.1.1.1, 203.0.113.66", "203.0.113.66"),
    (1, "1.1.1.1,203.0.113.66 ", "203.0.113.66"),
    (2, "1.1.1.1, 203.0.113.66, 10.0.0.9", "203.0.113.66"),
    (1, "2001:db8::1", "2001:db8::1"),
    # fewer addresses than proxies, or something that is not an address: the connection's
    (2, "203.0.113.66", "10.0.0.2"),
    (1, None, "10.0.0.2"),
    (1, "", "10.0.0.2"),
    (1, "unknown", "10.0.0.2"),
    (1, "203.0.113.66:5555", "10.0.0.2"),
])
def test_the_client_is_the_address_the_outermost_trusted_proxy_saw(
    settings, count, x_forwarded_for, client
):
    settings.TRUSTED_PROXY_COUNT = count

    assert client_ip_address(request(x_forwarded_for)) == client

"""The client's address behind the reverse proxies we run, for login throttling (axes)."""

import ipaddress

from django.conf import settings


def client_ip_address(request) -> str | None:
    """With `TRUSTED_PROXY_COUNT` proxies in front of Django, each appending the address
    it received the request from to X-Forwarded-For, the client is the Nth address from
    the right: anything to its left was sent by the client and may be forged. Without a
    trusted proxy, or when the header is shorter than the chain or holds something that is
    not an address, the connection's own address is used."""
    remote_addr = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote_addr
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote_addr

"""Waiting for the demo's server to answer, so that `make run` says where once it does."""

import time
from collections.abc import Callable
from urllib.error import HTTPError, URLError
from urllib.request import urlopen


def answers(url: str, *, timeout: float = 2.0) -> bool:
    """Whether something answers HTTP at `url`; an error status is an answer too."""
    try:
        # Only ever the local server's own address, built by the caller.
        with urlopen(url, timeout=timeout):  # noqa: S310
            return True
    except HTTPError:
        return True
    except (URLError, OSError):
        return False


def wait_until_answering(
    url: str, *, within: float, every: float = 0.5,
    clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Ask `url` every `every` seconds until it answers (True) or `within` seconds have
    passed (False): never longer."""
    deadline = clock() + within
    while not answers(url, timeout=min(2.0, max(within, 0.1))):
        if clock() >= deadline:
            return False
        sleep(every)
    return True


def local_url(addr: str, port: str, *, ipv6: bool = False) -> str:
    """The address a browser on this machine opens for a server listening on addr:port."""
    if addr in {"0", "0.0.0.0"}:  # noqa: S104 - listening everywhere, opened locally
        addr = "127.0.0.1"
    elif addr == "::":
        addr = "::1"
    host = f"[{addr}]" if ipv6 or ":" in addr else addr
    return f"http://{host}:{port}/"

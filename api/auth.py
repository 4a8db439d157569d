"""Who writes through the API: a vendor's token (`Authorization: Bearer <token>`), and how
often it may.

Unknown and revoked tokens are refused with 401, the token of a suspended vendor with 403.
Each token may make `API_WRITE_RATE` requests per `API_WRITE_WINDOW` seconds (counted in
the cache by `config.throttle`); beyond that, 429 with `Retry-After`."""

import time

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from config.throttle import throttle_allows, throttle_key
from vendors.models import Vendor
from vendors.selectors import api_token_for_secret
from vendors.services import api_token_touch

SCHEME_DESCRIPTION = (
    "A token made by the vendor's owner in the back office (« Ma structure » › « Accès "
    "API »), sent as `Authorization: Bearer ms_…`. It reads and writes that vendor's "
    "catalogue only."
)


class VendorToken(HttpBearer):
    openapi_description = SCHEME_DESCRIPTION
    openapi_bearerFormat = "ms_…"

    def authenticate(self, request, token):
        api_token = api_token_for_secret(token.strip())
        if api_token is None:
            return None
        if api_token.vendor.status == Vendor.Status.SUSPENDED:
            raise HttpError(403, _(
                "Your organisation is suspended: its catalogue cannot be changed. Write to "
                "the market's organisers."))
        api_token_touch(token=api_token)
        return api_token


def rate() -> tuple[int, int]:
    return (getattr(settings, "API_WRITE_RATE", 120), getattr(settings, "API_WRITE_WINDOW", 60))


class PerTokenThrottle(BaseThrottle):
    """A fixed window per token: the window's number is part of the key, so the wait is
    what is left of the current window."""

    def allow_request(self, request) -> bool:
        limit, window = rate()
        window_number = int(time.time() // window)
        key = throttle_key("api-token", f"{request.auth.pk}:{window_number}")
        return throttle_allows(key, limit=limit, window=window)

    def wait(self) -> float:
        _limit, window = rate()
        return window - time.time() % window

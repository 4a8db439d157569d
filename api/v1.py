"""Version 1 of the API: the public catalogue (read-only, no authentication) and, under
`/vendor/`, a vendor's own catalogue (read and write, with its token)."""

from functools import partial

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled, ValidationError

from shop.catalogue_sync import CatalogueWriteRefused
from vendors.models import ApiToken

from . import markets, products, projects, vendor_catalogue, vendors
from .write_errors import refused, validation_errors

DESCRIPTION = """
Markets, their catalogues, vendors and solidarity projects of Marchés solidaires.

- Money is in integer cents (`*_cents`) with `"currency": "EUR"`.
- Dates are ISO 8601 with their offset, in Europe/Paris time.
- Catalogue pages: `page` from 1, `page_size` from 1 to 100 (24 by default); a page past
  the last one answers 404 with a message, an empty catalogue has one empty page.
- Bad parameters answer 422 with the reason; unknown objects answer 404.

**Vendor catalogue** (`/vendor/…`): a vendor's own tool (stock or till software) reads and
writes that vendor's products with a token its owner makes in the back office (« Ma
structure » › « Accès API »), sent as `Authorization: Bearer ms_…`. An unknown or revoked
token answers 401, a suspended vendor 403, another vendor's product 404 (as an unknown one).
Each token may make `API_WRITE_RATE` requests a minute (120 by default); beyond, 429 with
`Retry-After` in seconds. Writes are all or nothing: a 422 lists every refused item with
its `index`, `field`, `code` and `message`, and nothing is saved.
"""

# Ninja's Swagger page loads its assets from a CDN unless the "ninja" app is installed,
# and no page may call a third-party host: without the app, no docs page.
DOCS_URL = "/docs" if "ninja" in settings.INSTALLED_APPS else None

api = NinjaAPI(
    title="Marchés solidaires API",
    version="1",
    description=DESCRIPTION.strip(),
    urls_namespace="api-v1",
    docs_url=DOCS_URL,
)
api.add_router("/markets", markets.router)
api.add_router("/products", products.router)
api.add_router("/vendors", vendors.router)
api.add_router("/projects", projects.router)
api.add_router("/vendor", vendor_catalogue.router)
api.add_exception_handler(CatalogueWriteRefused, partial(vendor_catalogue.write_refused, api=api))


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    """A vendor's write gets its errors per item, in its language; the public endpoints keep
    pydantic's list."""
    if isinstance(getattr(request, "auth", None), ApiToken):
        return api.create_response(request, refused(validation_errors(exc.errors)), status=422)
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    response = api.create_response(
        request, {"detail": _("Give a valid API token: « Authorization: Bearer ms_… ».")},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def throttled(request, exc):
    return api.create_response(
        request, {"detail": _("Too many requests for this token: wait and try again.")},
        status=429,
    )


@api.get("/", summary="Where to start", tags=["index"])
def index(request) -> dict:
    def absolute(path: str) -> str:
        return request.build_absolute_uri(f"{request.path}{path.lstrip('/')}")

    return {
        "title": api.title,
        "version": api.version,
        "openapi": absolute(api.openapi_url),
        "docs": absolute(api.docs_url) if api.docs_url else None,
        "markets": absolute("markets"),
        "vendors": absolute("vendors"),
        "projects": absolute("projects"),
    }

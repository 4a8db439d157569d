"""Version 1 of the public API: read-only, no authentication."""

from django.conf import settings
from ninja import NinjaAPI

from . import markets, products, projects, vendors

DESCRIPTION = """
Markets, their catalogues, vendors and solidarity projects of Marchés solidaires.

- Money is in integer cents (`*_cents`) with `"currency": "EUR"`.
- Dates are ISO 8601 with their offset, in Europe/Paris time.
- Catalogue pages: `page` from 1, `page_size` from 1 to 100 (24 by default); a page past
  the last one answers 404 with a message, an empty catalogue has one empty page.
- Bad parameters answer 422 with the reason; unknown objects answer 404.
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

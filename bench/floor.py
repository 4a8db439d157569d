"""The « floor » of `storefront.py`: the cheapest page Django can serve, one view returning a
few bytes, no database, no middleware. Served by the same gunicorn as the shop, it is what
the machine allows at best; the shop's pages are measured as a fraction of it.

    gunicorn --chdir bench floor:application
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="floor-only",  # noqa: S106
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", floor)]

application = get_wsgi_application()

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.v1 import api as api_v1
from config.health import healthz

# The site's own 404 page (a market's address keeps its market); Django's `server_error`
# renders templates/500.html, which needs neither the database nor a request.
handler404 = "cms.error_views.page_not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api_v1.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [
    path("paiement/", include("payments.urls")),
    path("payments/stripe/", include("payments.urls_webhooks")),
    path("", include("shop.orders.urls")),
    path("", include("shop.shoppers.urls")),
    path("", include("shop.donations.urls")),
    path("", include("shop.urls")),
    path("", include(wagtail_urls)),
]

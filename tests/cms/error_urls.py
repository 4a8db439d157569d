"""The site's URLs plus two views that fail, for the error pages' tests."""

from django.urls import path

from config.urls import *  # noqa: F403
from config.urls import urlpatterns as site_urlpatterns
from shop.models import Product


def broken_view(request):
    raise RuntimeError("the view fails")


def view_without_database(request):
    return Product.objects.count()


urlpatterns = [
    path("en-panne/", broken_view),
    path("sans-base/", view_without_database),
    *site_urlpatterns,
]

"""Onboarding to Stripe Connect, mounted in the back office (`payments.wagtail_hooks`)."""

from django.urls import path

from . import views_connect

app_name = "payments_connect"

urlpatterns = [
    path("structure/", views_connect.vendor_onboard, name="vendor_onboard"),
    path("structure/retour/", views_connect.vendor_return, name="vendor_return"),
    path("structure/nouveau-lien/", views_connect.vendor_refresh, name="vendor_refresh"),
    path("projets/<int:page_id>/", views_connect.project_onboard, name="project_onboard"),
    path("projets/<int:page_id>/retour/", views_connect.project_return, name="project_return"),
    path("projets/<int:page_id>/nouveau-lien/", views_connect.project_refresh,
         name="project_refresh"),
]

"""Onboarding to Stripe Connect, mounted in the back office (`payments.wagtail_hooks`)."""

from django.urls import path

from . import views_connect, views_connect_organiser

app_name = "payments_connect"

urlpatterns = [
    path("structure/", views_connect.vendor_onboard, name="vendor_onboard"),
    path("structure/retour/", views_connect.vendor_return, name="vendor_return"),
    path("structure/nouveau-lien/", views_connect.vendor_refresh, name="vendor_refresh"),
    path("projets/<int:page_id>/", views_connect.project_onboard, name="project_onboard"),
    path("projets/<int:page_id>/retour/", views_connect.project_return, name="project_return"),
    path("projets/<int:page_id>/nouveau-lien/", views_connect.project_refresh,
         name="project_refresh"),
    path("organisateurs/", views_connect_organiser.organiser_accounts,
         name="organiser_accounts"),
    path("organisateurs/<int:organiser_id>/", views_connect_organiser.organiser_onboard,
         name="organiser_onboard"),
    path("organisateurs/<int:organiser_id>/retour/", views_connect_organiser.organiser_return,
         name="organiser_return"),
    path("organisateurs/<int:organiser_id>/nouveau-lien/",
         views_connect_organiser.organiser_refresh, name="organiser_refresh"),
]

"""The donor's pages, under « /depot-solidaire/ »."""

from django.urls import path

from shop.donations import views

app_name = "donations"

urlpatterns = [
    path("depot-solidaire/merci/", views.offered_view, name="offered"),
    path("depot-solidaire/suivi/<str:token>/", views.follow_view, name="follow"),
    path("depot-solidaire/<slug:vendor_slug>/", views.offer_view, name="offer"),
]

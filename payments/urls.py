from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("<str:reference>/", views.pay, name="pay"),
    path("<str:reference>/merci/", views.payment_return, name="return"),
    path("<str:reference>/verifier/", views.precheck, name="precheck"),
    path("commandes/<int:order_pk>/annuler/", views.order_cancel_lines,
         name="order_cancel_lines"),
]

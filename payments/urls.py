from django.urls import path

from . import views, views_refund, views_return

app_name = "payments"

urlpatterns = [
    path("<str:reference>/", views.pay, name="pay"),
    path("<str:reference>/merci/", views_return.payment_return, name="return"),
    path("<str:reference>/reessayer/", views_return.retry, name="retry"),
    path("<str:reference>/verifier/", views.precheck, name="precheck"),
    path("commandes/<int:order_pk>/annuler/", views_refund.order_cancel_lines,
         name="order_cancel_lines"),
]

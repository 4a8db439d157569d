from django.urls import path

from shop.orders import receipt_views
from shop.orders import views as views_orders

app_name = "shop_orders"

urlpatterns = [
    path("commande/suivi/<str:token>/", views_orders.order_page, name="order_page"),
    path("commande/recu/<str:token>/", receipt_views.receipt_page, name="receipt"),
    path("commande/recu/<str:token>/telecharger/", receipt_views.receipt_download,
         name="receipt_download"),
]

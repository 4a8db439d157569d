from django.urls import path

from shop.orders import views as views_orders

app_name = "shop_orders"

urlpatterns = [
    path("commande/suivi/<str:token>/", views_orders.order_page, name="order_page"),
]

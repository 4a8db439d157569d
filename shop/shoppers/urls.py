"""The shopper's space without an account, under « /mes-commandes/ »."""

from django.urls import path

from shop.shoppers import views

app_name = "shoppers"

urlpatterns = [
    path("mes-commandes/", views.my_orders, name="orders"),
    path("mes-commandes/lien-envoye/", views.link_sent, name="link_sent"),
    path("mes-commandes/connexion/<str:token>/", views.sign_in, name="sign_in"),
    path("mes-commandes/deconnexion/", views.sign_out, name="sign_out"),
]

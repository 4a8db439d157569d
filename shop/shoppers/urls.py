"""The shopper's space without an account, under « /mes-commandes/ »."""

from django.urls import path

from shop.shoppers import privacy_views, views

app_name = "shoppers"

urlpatterns = [
    path("mes-commandes/", views.my_orders, name="orders"),
    path("mes-commandes/lien-envoye/", views.link_sent, name="link_sent"),
    path("mes-commandes/connexion/<str:token>/", views.sign_in, name="sign_in"),
    path("mes-commandes/deconnexion/", views.sign_out, name="sign_out"),
    path("mes-commandes/mes-donnees/", privacy_views.my_data, name="data"),
    path("mes-commandes/mes-donnees/telecharger/", privacy_views.my_data_download,
         name="data_download"),
    path("mes-commandes/mes-donnees/effacer/", privacy_views.my_data_erase, name="data_erase"),
]

"""The shopper's basket and checkout steps."""

from django.urls import path

from shop.checkout import basket_views as views_basket
from shop.checkout import views as views_checkout

app_name = "shop"

urlpatterns = [
    path("panier/", views_basket.basket_detail, name="basket"),
    path("panier/ajouter/", views_basket.basket_add, name="basket_add"),
    path("panier/<int:product_id>/quantite/", views_basket.basket_update, name="basket_update"),
    path("panier/<int:product_id>/retirer/", views_basket.basket_remove, name="basket_remove"),
    path("commande/", views_checkout.checkout_start, name="checkout"),
    path("commande/coordonnees/", views_checkout.checkout_contact, name="checkout_contact"),
    path("commande/retrait-ou-livraison/", views_checkout.checkout_fulfilment,
         name="checkout_fulfilment"),
    path("commande/projet-solidaire/", views_checkout.checkout_project, name="checkout_project"),
    path("commande/don/", views_checkout.checkout_donation, name="checkout_donation"),
    path("commande/recapitulatif/", views_checkout.checkout_review_step, name="checkout_review"),
]

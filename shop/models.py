"""The shop's models, defined by area: catalogue, checkout, orders, shoppers, donations."""

from shop.catalogue.models import Category, Product, ProductImage
from shop.checkout.models import (
    Cart,
    CartLine,
    Checkout,
    CheckoutFulfilment,
    CheckoutLine,
    Reservation,
)
from shop.donations.models import DonatedObject, DonatedPhoto
from shop.orders.models import LedgerEntry, Order, OrderLine
from shop.shoppers.models import OrderAccessLink

__all__ = [
    "Cart",
    "CartLine",
    "Category",
    "Checkout",
    "CheckoutFulfilment",
    "CheckoutLine",
    "DonatedObject",
    "DonatedPhoto",
    "LedgerEntry",
    "Order",
    "OrderAccessLink",
    "OrderLine",
    "Product",
    "ProductImage",
    "Reservation",
]

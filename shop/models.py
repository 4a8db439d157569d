"""The shop's models, defined by area: catalogue, checkout, orders, shoppers."""

from shop.catalogue.models import Category, Product, ProductImage
from shop.checkout.models import (
    Cart,
    CartLine,
    Checkout,
    CheckoutFulfilment,
    CheckoutLine,
    Reservation,
)
from shop.orders.models import LedgerEntry, Order, OrderLine
from shop.shoppers.models import OrderAccessLink

__all__ = [
    "Cart",
    "CartLine",
    "Category",
    "Checkout",
    "CheckoutFulfilment",
    "CheckoutLine",
    "LedgerEntry",
    "Order",
    "OrderAccessLink",
    "OrderLine",
    "Product",
    "ProductImage",
    "Reservation",
]

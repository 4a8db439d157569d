from .catalogue import Category, Product, ProductImage
from .orders import (
    Cart,
    CartLine,
    Checkout,
    CheckoutFulfilment,
    CheckoutLine,
    LedgerEntry,
    Order,
    OrderLine,
    Reservation,
)

__all__ = [
    "Cart",
    "CartLine",
    "Category",
    "Checkout",
    "CheckoutFulfilment",
    "CheckoutLine",
    "LedgerEntry",
    "Order",
    "OrderLine",
    "Product",
    "ProductImage",
    "Reservation",
]

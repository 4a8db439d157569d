"""Writes on the shopper's basket. One basket per session, in one market."""

from django.db import transaction

from shop.catalogue.models import Product
from shop.checkout.models import Cart, CartLine

MAX_QUANTITY = 99


class BasketError(ValueError):
    """A basket action that cannot be done; the message is meant for the shopper."""


def cart_for_session(*, session_key: str, user=None, create: bool = True) -> Cart | None:
    if create:
        cart, _ = Cart.objects.get_or_create(session_key=session_key)
    else:
        cart = Cart.objects.filter(session_key=session_key).first()
    if cart is not None and user is not None and user.is_authenticated and cart.user_id is None:
        cart.user = user
        cart.save(update_fields=["user"])
    return cart


@transaction.atomic
def cart_add(*, cart: Cart, market, product: Product, quantity: int = 1) -> CartLine:
    """Add `quantity` units; a basket holds one market's products only."""
    from django.utils.translation import gettext as _

    if quantity < 1:
        raise BasketError(_("Choose a quantity of at least 1."))
    if cart.market_id and cart.market_id != market.pk and cart.lines.exists():
        raise BasketError(
            _("Your basket holds products of another market. Finish that order or empty "
              "your basket first.")
        )
    if cart.market_id != market.pk:
        cart.market = market
        cart.save(update_fields=["market", "updated_at"])
    line, created = CartLine.objects.get_or_create(
        cart=cart, product=product, defaults={"quantity": quantity}
    )
    if not created:
        line.quantity = min(line.quantity + quantity, MAX_QUANTITY)
        line.save(update_fields=["quantity"])
    return line


@transaction.atomic
def cart_set_quantity(*, cart: Cart, product_id: int, quantity: int) -> CartLine | None:
    """Change a line's quantity; 0 removes it."""
    if quantity <= 0:
        cart.lines.filter(product_id=product_id).delete()
        return None
    line = cart.lines.filter(product_id=product_id).first()
    if line is None:
        return None
    line.quantity = min(quantity, MAX_QUANTITY)
    line.save(update_fields=["quantity"])
    return line


@transaction.atomic
def cart_remove(*, cart: Cart, product_id: int) -> None:
    cart.lines.filter(product_id=product_id).delete()


def cart_move_session(*, old_key: str, new_key: str) -> None:
    """The browser session got a new key (a sign-in): its basket follows it."""
    if old_key and new_key and old_key != new_key:
        Cart.objects.filter(session_key=old_key).update(session_key=new_key)

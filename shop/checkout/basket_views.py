"""The shopper's basket: add, change, remove, show. Every action is a plain POST that
redirects back; with htmx it answers with the fragment to swap instead."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from markets.models import Market, MarketStatus
from shop.catalogue.selectors import products_on_sale
from shop.checkout.availability import add_refusal, product_availability, quantity_refusal
from shop.checkout.cart import (
    BasketError,
    cart_add,
    cart_for_session,
    cart_remove,
    cart_set_quantity,
)
from shop.checkout.forms import AddToBasketForm, QuantityForm
from shop.checkout.models import Checkout
from shop.checkout.selectors import basket_for_cart, cart_of_session
from shop.checkout.services import checkout_release, reservation_minutes

CHECKOUT_SESSION_KEY = "checkout_id"


def session_cart(request, *, create: bool = False):
    """The basket of this browser session; `create` opens a session for a new visitor."""
    if create:
        request.session["basket"] = True
        if not request.session.session_key:
            request.session.save()
        return cart_for_session(session_key=request.session.session_key, user=request.user)
    return cart_of_session(session_key=request.session.session_key)


def release_reserved_checkout(request, cart) -> None:
    """The basket changed: units held for a checkout awaiting payment go back on sale, and
    the next review reserves what the basket now holds."""
    checkout_id = request.session.get(CHECKOUT_SESSION_KEY)
    if not checkout_id or cart is None:
        return
    checkout = Checkout.objects.filter(
        pk=checkout_id, cart=cart, state=Checkout.State.RESERVED
    ).first()
    if checkout is not None:
        checkout_release(checkout=checkout)


@require_GET
def basket_detail(request):
    basket = basket_for_cart(session_cart(request))
    return TemplateResponse(request, "shop/basket/basket.html", _basket_context(basket))


@require_POST
def basket_add(request):
    form = AddToBasketForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This item could not be added to your basket."))
        return _after_add(request, form)
    data = form.cleaned_data
    market = get_object_or_404(Market.objects.live(), pk=data["market"])
    product = products_on_sale(market=market).filter(pk=data["product"]).first()
    if not market.is_open:
        messages.error(request, _not_open_message(market))
    elif product is None:
        messages.error(request, _("This item is no longer on sale."))
    else:
        _add(request, market, product, data["quantity"])
    return _after_add(request, form)


def _not_open_message(market: Market) -> str:
    if market.status == MarketStatus.UPCOMING:
        return _("This market opens on %(opening)s: nothing can be bought in it before.") % {
            "opening": market.opening_label}
    return _("This market is not open: nothing can be bought in it now.")


def _add(request, market, product, quantity: int) -> None:
    cart = session_cart(request, create=True)
    in_basket = cart.lines.filter(product=product).values_list("quantity", flat=True).first() or 0
    availability = product_availability(product=product, market=market, cart=cart)
    refusal = add_refusal(product, availability, in_basket=in_basket, quantity=quantity)
    if refusal:
        messages.error(request, refusal)
        return
    try:
        cart_add(cart=cart, market=market, product=product, quantity=quantity)
    except BasketError as error:
        messages.error(request, str(error))
        return
    release_reserved_checkout(request, cart)
    messages.success(request, _("« %(title)s » is in your basket.") % {"title": product.title})


def _after_add(request, form):
    if request.htmx:
        return TemplateResponse(request, "shop/basket/_added.html", {})
    target = form.data.get("next") or request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("shop:basket")
    return HttpResponseRedirect(target)


@require_POST
def basket_update(request, product_id: int):
    cart = session_cart(request)
    form = QuantityForm(request.POST)
    if cart is None:
        messages.error(request, _("Your basket is empty."))
    elif not form.is_valid():
        messages.error(request, _("Enter a quantity between 0 and 99."))
    else:
        _set_quantity(request, cart, product_id, form.cleaned_data["quantity"])
    return _after_change(request, cart)


def _set_quantity(request, cart, product_id: int, quantity: int) -> None:
    line = cart.lines.select_related("product").filter(product_id=product_id).first()
    if line is None:
        messages.error(request, _("This item is not in your basket any more."))
        return
    if quantity > line.quantity and cart.market_id:
        availability = product_availability(product=line.product, market=cart.market, cart=cart)
        if refusal := quantity_refusal(line.product, availability, quantity):
            messages.error(request, refusal)
            return
    try:
        cart_set_quantity(cart=cart, product_id=product_id, quantity=quantity)
    except BasketError as error:
        messages.error(request, str(error))
        return
    release_reserved_checkout(request, cart)
    if quantity == 0:
        messages.success(request, _("« %(title)s » was removed from your basket.")
                         % {"title": line.product.title})
    else:
        messages.success(request, _("The quantity of « %(title)s » is now %(count)d.")
                         % {"title": line.product.title, "count": quantity})


@require_POST
def basket_remove(request, product_id: int):
    cart = session_cart(request)
    line = None
    if cart is not None:
        line = cart.lines.select_related("product").filter(product_id=product_id).first()
    if line is None:
        messages.error(request, _("This item is not in your basket any more."))
    else:
        try:
            cart_remove(cart=cart, product_id=product_id)
        except BasketError as error:
            messages.error(request, str(error))
        else:
            release_reserved_checkout(request, cart)
            messages.success(request, _("« %(title)s » was removed from your basket.")
                             % {"title": line.product.title})
    return _after_change(request, cart)


def _after_change(request, cart):
    if request.htmx:
        basket = basket_for_cart(cart)
        return TemplateResponse(request, "shop/basket/_update.html", _basket_context(basket))
    return HttpResponseRedirect(reverse("shop:basket"))


def _basket_context(basket) -> dict:
    return {
        "basket": basket,
        "market": basket.market,
        "basket_count": basket.count,
        "uses_htmx": True,
        "reserved_until": basket.reserved_until,
        "reservation_minutes": reservation_minutes(),
    }

"""The organiser's pick-up list of a market: at each point and in each slot, every
vendor's orders to gather for the shoppers, printable. Only for the markets of the
organiser's own space (`market_ids_for_organiser_user`); any other market answers 404."""

from django.http import Http404
from django.shortcuts import render

from markets.models import Market
from markets.selectors import market_ids_for_organiser_user
from shop.orders.selectors import market_pickup_orders


def _markets_in_reach(user):
    market_ids = market_ids_for_organiser_user(user)
    markets = Market.objects.order_by("-opens_at", "title")
    return markets if market_ids is None else markets.filter(pk__in=market_ids)


def market_pickup_list_choose_view(request):
    return render(request, "shop/admin/orders/market_pickup_list_choose.html",
                  {"markets": list(_markets_in_reach(request.user))})


def pickup_groups(orders) -> list[dict]:
    """[{point, slots: [{slot, orders, baskets, over_capacity}]}], in the orders' order."""
    points: dict = {}
    for order in orders:
        point = points.setdefault(order.pickup_point_id,
                                  {"point": order.pickup_point, "slots": {}})
        slot = point["slots"].setdefault(order.pickup_slot_id,
                                         {"slot": order.pickup_slot, "orders": []})
        slot["orders"].append(order)
    groups = []
    for point in points.values():
        slots = list(point["slots"].values())
        for slot in slots:
            slot["baskets"] = len({order.checkout_id for order in slot["orders"]})
            slot["over_capacity"] = bool(slot["slot"]) and slot["baskets"] > slot["slot"].capacity
        groups.append({"point": point["point"], "slots": slots})
    return groups


def market_pickup_list_view(request, market_id: int):
    market = _markets_in_reach(request.user).filter(pk=market_id).first()
    if market is None:
        raise Http404
    orders = list(market_pickup_orders(market_id=market.pk))
    return render(request, "shop/admin/orders/market_pickup_list.html", {
        "market": market, "groups": pickup_groups(orders), "order_count": len(orders),
    })

"""The market page form: a pick-up point that orders name cannot be taken off the market
(the orders still say where to collect them); an unused one can."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from markets.fields import percent_text
from markets.models import PickupPoint
from shop.models import Order
from tests.factories import MarketPageFactory, PickupPointFactory, ProductFactory, paid_order

pytestmark = pytest.mark.django_db


def edit_data(market, *, delete: PickupPoint) -> dict:
    points = [
        {"id": point.pk, "name": point.name, "address": point.address,
         "postcode": point.postcode, "city": point.city, "opening_hours": "",
         "ORDER": index, "DELETE": "on" if point.pk == delete.pk else ""}
        for index, point in enumerate(market.pickup_points.order_by("sort_order", "pk"))
    ]
    return nested_form_data({
        "title": market.title, "slug": market.slug, "intro": rich_text(""),
        "opens_at": market.opens_at.strftime("%Y-%m-%d %H:%M"),
        "closes_at": market.closes_at.strftime("%Y-%m-%d %H:%M"),
        "commission_bps": percent_text(market.commission_bps),
        "participations": inline_formset([]),
        "pickup_points": inline_formset(points, initial=len(points)),
        "action-publish": "publish",
    })


def test_a_pick_up_point_named_by_orders_stays_on_the_market(admin_client):
    market = MarketPageFactory()
    used = PickupPointFactory(market=market, name="Halle Sud")
    PickupPointFactory(market=market, name="Quai des Antilles")
    order = paid_order(ProductFactory(), market=market, pickup_point=used)

    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[market.pk]),
                                 edit_data(market, delete=used))

    assert response.status_code == 200
    assert "Halle Sud" in response.content.decode()
    assert "commandes" in response.content.decode()
    assert PickupPoint.objects.filter(pk=used.pk).exists()
    assert Order.objects.get(pk=order.pk).pickup_point_id == used.pk


def test_an_unused_pick_up_point_is_taken_off(admin_client):
    market = MarketPageFactory()
    PickupPointFactory(market=market, name="Halle Sud")
    unused = PickupPointFactory(market=market, name="Quai des Antilles")

    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[market.pk]),
                                 edit_data(market, delete=unused))

    assert response.status_code == 302
    assert not PickupPoint.objects.filter(pk=unused.pk).exists()

"""The whole path through HTTP, as a shopper and a vendor live it, with the demo gateway:
basket → checkout → pay → orders paid → e-mails sent → vendor marks ready → shopper sees it."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from shop.models import Checkout, LedgerEntry, Order, Product
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    SolidarityProjectPageFactory,
    UserFactory,
    VendorFactory,
    product_in_market,
)
from vendors.services import vendor_member_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    market = MarketPageFactory(commission_bps=500)
    PickupPointFactory(market=market, name="Halle de la Madeleine")
    project = SolidarityProjectPageFactory(title="Des vélos pour l'insertion")
    market.solidarity_projects.add(project)
    market.save_revision().publish()
    return market


def add(client, market, product, quantity=1):
    return client.post(reverse("shop:basket_add"),
                       {"market": market.pk, "product": product.pk, "quantity": quantity})


def test_a_shopper_buys_from_two_vendors_and_a_vendor_hands_over(client, market,
                                                                django_capture_on_commit_callbacks):
    ressourcerie = VendorFactory(name="Ressourcerie de l'Île", slug="ressourcerie-ile",
                                 email="ile@example.org")
    epicerie = VendorFactory(name="Épicerie des Quais", slug="epicerie-quais",
                             email="quais@example.org", is_professional=True)
    owner = UserFactory(username="vendeur-ressourcerie-ile")
    vendor_member_add(vendor=ressourcerie, user=owner)
    teapot = product_in_market(market, vendor=ressourcerie, title="Théière en fonte",
                               slug="theiere", price_cents=1850, stock=1, solidarity_bps=2000)
    jam = product_in_market(market, vendor=epicerie, title="Confiture de figues", slug="figues",
                            price_cents=590, stock=10)
    point = market.pickup_points.get()

    # Basket
    assert add(client, market, teapot).status_code == 302
    assert add(client, market, jam, 2).status_code == 302
    basket = client.get(reverse("shop:basket")).content.decode()
    assert "Théière en fonte" in basket and "Confiture de figues" in basket

    # Checkout steps
    client.post(reverse("shop:checkout_contact"), {
        "email": "lea@example.org", "first_name": "Léa", "last_name": "Durand", "phone": ""})
    client.post(reverse("shop:checkout_fulfilment"), {
        f"method_{ressourcerie.pk}": "pickup", f"method_{epicerie.pk}": "pickup",
        "pickup": point.pk})
    project = market.solidarity_projects.get()
    client.post(reverse("shop:checkout_project"), {"project": project.pk})
    client.post(reverse("shop:checkout_donation"), {"choice": "round_up"})
    review = client.get(reverse("shop:checkout_review")).content.decode()
    assert "rétractation" in review
    to_payment = client.post(reverse("shop:checkout_review"), {"terms": "on"})
    checkout = Checkout.objects.get(email="lea@example.org")
    assert to_payment["Location"] == reverse("payments:pay", args=[checkout.reference])

    # Payment with the demo card
    assert "Démonstration" in client.get(to_payment["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(to_payment["Location"], {
            "card_number": "4242 4242 4242 4242", "expiry": "12/30", "security_code": "123"})
    assert paid.status_code == 302

    checkout.refresh_from_db()
    assert checkout.state == Checkout.State.PAID
    assert checkout.total_cents == 1850 + 2 * 590 + 70  # rounded up to 31,00 €
    orders = Order.objects.filter(checkout=checkout)
    assert {o.vendor_id: o.state for o in orders} == {
        ressourcerie.pk: Order.State.PAID, epicerie.pk: Order.State.PAID}
    assert sum(LedgerEntry.objects.filter(checkout=checkout)
               .values_list("amount_cents", flat=True)) == checkout.total_cents
    assert Product.objects.get(pk=teapot.pk).stock == 0
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["ile@example.org", "lea@example.org", "quais@example.org"]

    # The thanks page links the shopper's order page
    thanks = client.get(paid["Location"]).content.decode()
    order_link = re.search(r'href="([^"]*/commande/suivi/[^"]+)"', thanks).group(1)
    order_path = re.sub(r"^https?://[^/]+", "", order_link)
    assert "À préparer" in client.get(order_path).content.decode()

    # The vendor marks its order ready in the back office; the shopper is told
    order = orders.get(vendor=ressourcerie)
    vendor_client = client.__class__()
    vendor_client.force_login(owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ready = vendor_client.post(reverse("shop_order_admin:mark_ready", args=[order.pk]))
    assert ready.status_code == 302
    order.refresh_from_db()
    assert order.state == Order.State.READY
    assert [message.to for message in mail.outbox] == [["lea@example.org"]]
    assert "Prête à être retirée" in client.get(order_path).content.decode()


def test_a_declined_card_leaves_nothing_paid_and_frees_the_items(client, market):
    item = product_in_market(market, title="Vélo de ville", slug="velo", stock=1)
    point = market.pickup_points.get()
    add(client, market, item)
    client.post(reverse("shop:checkout_contact"), {
        "email": "tom@example.org", "first_name": "Tom", "last_name": "Martin", "phone": ""})
    client.post(reverse("shop:checkout_fulfilment"), {
        f"method_{item.vendor_id}": "pickup", "pickup": point.pk})
    client.post(reverse("shop:checkout_donation"), {"choice": "none"})
    to_payment = client.post(reverse("shop:checkout_review"), {"terms": "on"})

    declined = client.post(to_payment["Location"], {
        "card_number": "4000 0000 0000 0002", "expiry": "12/30", "security_code": "123"},
        follow=True)

    assert "refusée" in declined.content.decode()
    checkout = Checkout.objects.get(email="tom@example.org")
    assert checkout.state == Checkout.State.OPEN
    assert not checkout.reservations.exists()
    assert not Order.objects.filter(checkout=checkout).exists()
    assert Product.objects.get(pk=item.pk).stock == 1

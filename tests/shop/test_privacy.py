"""A shopper's personal data: the export, and an erasure that anonymises closed orders
and leaves the accounts as they were."""

from datetime import timedelta

import pytest
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from payments.models import Payment, WebhookEvent
from shop.models import Checkout, CheckoutFulfilment, LedgerEntry, Order, OrderAccessLink
from shop.orders.services import order_lines_cancel, order_mark_fulfilled
from shop.shoppers.privacy import (
    DISPUTE,
    PAYMENT_IN_PROGRESS,
    WAITING_FOR_HANDOVER,
    WITHDRAWAL_PERIOD,
    erasure_plan,
    privacy_erase,
    privacy_export,
)
from shop.shoppers.selectors import shopper_data
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    ProductFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    paid_checkout,
    product_in_market,
    reserved_checkout,
)

pytestmark = pytest.mark.django_db

EMAIL = "lea.durand@example.org"
LATER = timedelta(days=20)


@pytest.fixture
def market():
    market = MarketPageFactory(title="Marché de Noël de Rezé")
    PickupPointFactory(market=market, name="Halle de la Trocardière")
    return market


def shopping(market, *, email=EMAIL, ship=False, donation_cents=0, **names):
    project = SolidarityProjectPageFactory()
    vendor = VendorFactory(ships=True, shipping_fee_cents=500)
    product = ProductFactory(vendor=vendor, price_cents=2500, stock=5, solidarity_bps=1000,
                             solidarity_project=project)
    return paid_checkout([(product, 2)], market=market, email=email,
                         shipping_vendors=[vendor] if ship else (),
                         chosen_project=project, donation_cents=donation_cents, **names)


def hand_over(checkout, *, now=None):
    for order in checkout.orders.all():
        order_mark_fulfilled(order=order, tracking_number="6A0042", now=now)


def ledger_of(market) -> dict:
    return dict(LedgerEntry.objects.filter(checkout__market=market).values_list("kind")
                .annotate(total=Sum("amount_cents")).values_list("kind", "total"))


def traces(*, email=EMAIL, name="Durand", phone="06 12 34 56 78", street="rue des Lilas"):
    return {
        "checkouts": Checkout.objects.filter(
            Q(email__icontains=email) | Q(last_name__icontains=name)
            | Q(first_name="Léa") | Q(phone=phone)).count(),
        "fulfilments": CheckoutFulfilment.objects.filter(
            Q(shipping_name__icontains=name) | Q(shipping_address__icontains=street)
            | Q(shipping_city="Nantes")).count(),
        "orders": Order.objects.filter(
            Q(shipping_address__icontains=name) | Q(shipping_address__icontains=street)).count(),
        "links": OrderAccessLink.objects.filter(email__iexact=email).count(),
    }


def test_the_export_holds_every_personal_datum_of_the_address(market):
    shipped = shopping(market, ship=True)
    shopping(market, email="autre@example.org")

    data = privacy_export(email=EMAIL, checkouts=shopper_data(EMAIL))

    assert data["email"] == EMAIL
    [checkout] = data["checkouts"]
    assert checkout["reference"] == shipped.reference
    assert checkout["market"] == "Marché de Noël de Rezé"
    assert checkout["contact"] == {"email": EMAIL, "first_name": "Léa", "last_name": "Durand",
                                   "phone": "06 12 34 56 78"}
    [fulfilment] = checkout["fulfilments"]
    assert fulfilment["shipping_address"] == "3 rue des Lilas"
    assert fulfilment["shipping_city"] == "Nantes"
    [order] = checkout["orders"]
    assert "3 rue des Lilas" in order["shipping_address"]
    assert order["total_cents"] == 5500
    assert order["lines"][0]["quantity"] == 2


def test_erasure_leaves_no_trace_of_the_shopper_and_the_accounts_unchanged(market):
    pickup = shopping(market, donation_cents=300)
    shipped = shopping(market, ship=True)
    refunded = shopping(market)
    order = refunded.orders.get()
    order_lines_cancel(order=order, quantities={order.lines.get().pk: 2})
    hand_over(pickup)
    hand_over(shipped)
    OrderAccessLink.objects.create(email=EMAIL)
    someone_else = shopping(market, email="autre@example.org", first_name="Marc",
                            last_name="Petit")
    Checkout.objects.filter(pk=someone_else.pk).update(phone="07 00 00 00 00")
    ledger = ledger_of(market)
    amounts = list(Checkout.objects.order_by("pk").values_list(
        "reference", "total_cents", "paid_at", "created_at"))
    orders = list(Order.objects.order_by("pk").values_list(
        "number", "state", "gross_cents", "commission_cents", "solidarity_cents",
        "vendor_net_cents", "refunded_cents", "paid_at", "fulfilled_at"))
    assert traces()["checkouts"] == 3

    result = privacy_erase(email=EMAIL, now=timezone.now() + LATER)

    assert sorted(result.erased) == sorted([pickup.reference, shipped.reference,
                                            refunded.reference])
    assert result.kept == []
    assert traces() == {"checkouts": 0, "fulfilments": 0,
                                                   "orders": 0, "links": 0}
    assert ledger_of(market) == ledger
    assert list(Checkout.objects.order_by("pk").values_list(
        "reference", "total_cents", "paid_at", "created_at")) == amounts
    assert list(Order.objects.order_by("pk").values_list(
        "number", "state", "gross_cents", "commission_cents", "solidarity_cents",
        "vendor_net_cents", "refunded_cents", "paid_at", "fulfilled_at")) == orders
    someone_else.refresh_from_db()
    assert someone_else.email == "autre@example.org" and someone_else.last_name == "Petit"
    shipped.refresh_from_db()
    assert shipped.personal_data_erased_at is not None
    assert shipped.orders.get().shipping_address == ""


def test_each_checkout_ledger_still_adds_up_to_its_charge(market):
    checkout = shopping(market, ship=True, donation_cents=250)
    hand_over(checkout)

    privacy_erase(email=EMAIL, now=timezone.now() + LATER)

    checkout.refresh_from_db()
    booked = LedgerEntry.objects.filter(checkout=checkout).aggregate(total=Sum("amount_cents"))
    assert booked["total"] == checkout.total_cents


def test_an_order_still_to_hand_over_keeps_the_details(market):
    waiting = shopping(market)

    result = privacy_erase(email=EMAIL, now=timezone.now() + LATER)

    assert result.erased == []
    assert [(kept.checkout.reference, kept.reason) for kept in result.kept] == [
        (waiting.reference, WAITING_FOR_HANDOVER)]
    waiting.refresh_from_db()
    assert waiting.email == EMAIL


def test_the_withdrawal_period_keeps_the_details_until_it_ends(market):
    checkout = shopping(market)
    handed_over = timezone.now()
    hand_over(checkout, now=handed_over)

    [kept] = erasure_plan(email=EMAIL, now=handed_over + timedelta(days=5)).kept

    assert kept.reason == WITHDRAWAL_PERIOD
    assert kept.until == handed_over + timedelta(days=14)
    assert erasure_plan(email=EMAIL, now=handed_over + timedelta(days=15)).kept == []


def test_a_recent_dispute_keeps_the_details(market):
    checkout = shopping(market)
    hand_over(checkout)
    checkout.orders.update(disputed_at=timezone.now())

    [kept] = erasure_plan(email=EMAIL, now=timezone.now() + LATER).kept

    assert kept.reason == DISPUTE
    assert erasure_plan(email=EMAIL, now=timezone.now() + timedelta(days=121)).kept == []


def test_a_payment_in_progress_keeps_the_details_an_abandoned_basket_is_erased(market):
    product = product_in_market(market, stock=5)
    reserved = reserved_checkout(market, [(product, 1)], session_key="s-1", email=EMAIL)
    abandoned = reserved_checkout(market, [(product, 1)], session_key="s-2", email=EMAIL,
                                  reserve=False, state=Checkout.State.ABANDONED)

    plan = erasure_plan(email=EMAIL, now=timezone.now())

    kept = {item.checkout.pk: item.reason for item in plan.kept}
    assert kept[reserved.pk] == PAYMENT_IN_PROGRESS
    assert abandoned.pk in {checkout.pk for checkout in plan.erasable}


def test_the_payment_provider_events_lose_the_card_holder_details(market):
    checkout = shopping(market)
    hand_over(checkout)
    Payment.objects.create(checkout=checkout, gateway="stripe", external_id="pi_123",
                           amount_cents=checkout.total_cents, state=Payment.State.SUCCEEDED)
    charge = {"id": "ch_1", "object": "charge", "payment_intent": "pi_123", "amount": 5000,
              "billing_details": {"email": EMAIL, "name": "Léa Durand"},
              "receipt_email": EMAIL}
    event = WebhookEvent.objects.create(event_id="evt_1", endpoint="platform",
                                        type="charge.refunded",
                                        payload={"id": "evt_1", "data": {"object": charge}})
    other = WebhookEvent.objects.create(
        event_id="evt_2", endpoint="platform", type="charge.refunded",
        payload={"data": {"object": {**charge, "payment_intent": "pi_other"}}})

    privacy_erase(email=EMAIL, now=timezone.now() + LATER)

    event.refresh_from_db()
    scrubbed = event.payload["data"]["object"]
    assert scrubbed["billing_details"] is None and scrubbed["receipt_email"] is None
    assert scrubbed["amount"] == 5000 and scrubbed["payment_intent"] == "pi_123"
    other.refresh_from_db()
    assert other.payload["data"]["object"]["receipt_email"] == EMAIL


def test_the_erased_checkouts_are_no_longer_found_by_the_address(market):
    checkout = shopping(market)
    hand_over(checkout)

    privacy_erase(email=EMAIL.upper(), now=timezone.now() + LATER)

    assert shopper_data(EMAIL) == []
    assert Checkout.objects.filter(personal_data_erased_at__isnull=False).count() == 1


def test_the_vendor_sees_why_an_erased_order_has_no_name(client, market, vendor_a,
                                                          django_assert_max_num_queries):
    product = ProductFactory(vendor=vendor_a.vendor, price_cents=2500, stock=2)
    checkout = paid_checkout([(product, 1)], market=market, email=EMAIL)
    hand_over(checkout, now=timezone.now() - LATER)
    privacy_erase(email=EMAIL, now=timezone.now() + LATER)
    order = checkout.orders.get()
    client.force_login(vendor_a.user)

    with django_assert_max_num_queries(40):
        listing = client.get(reverse("shop_order_admin:index")).content.decode()
    inspect = client.get(reverse("shop_order_admin:inspect", args=[order.pk])).content.decode()

    assert "Effacé à la demande de l’acheteur" in listing
    assert "Effacé à la demande de l’acheteur" in inspect
    assert "Durand" not in listing + inspect

"""A donated object from offer to sale, through HTTP as the donor, the vendor and a shopper
live it: offered on the vendor's page → accepted in « Ma boutique » → on sale in the market
→ bought and paid with the demo card → the ledger books its proceeds to the donor's
project → the donor's e-mail and follow-up page show « vendu » and the amount."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from payments.ledger import checkout_balance
from shop.donations.models import DonatedObject
from shop.models import Checkout, LedgerEntry, Order
from tests.factories import category, vendor_url
from tests.shop.donations_helpers import DonationSetting, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def follow_path(message) -> str:
    link = re.search(r"https?://[^\s]+/depot-solidaire/suivi/[^\s]+/", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", link)


def test_a_donated_object_goes_from_offer_to_sale(client, django_capture_on_commit_callbacks):
    setting = DonationSetting(commission_bps=500)
    market, vendor, project = setting.market, setting.vendor, setting.project

    # The donor finds « Confier un objet » on the vendor's page and offers a lamp
    page = client.get(vendor_url(market, vendor)).content.decode()
    offer_url = reverse("donations:offer", args=[vendor.slug])
    assert offer_url in page
    with django_capture_on_commit_callbacks(execute=True):
        offered = client.post(offer_url, {
            "description": "Une lampe de bureau en laiton, années 60.",
            "condition_guess": "good", "photos": [photo_upload()], "project": project.pk,
            "donor_name": "Camille Martin", "donor_email": "camille@example.org",
            "gift": "on", "website": ""})
    assert offered.status_code == 302
    donation = DonatedObject.objects.get()
    follow = follow_path(mail.outbox[-1])
    assert "Proposé" in client.get(follow).content.decode()

    # The vendor accepts it at 40,00 € with 5,00 € of costs
    vendor_client = client.__class__()
    vendor_client.force_login(setting.owner)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = vendor_client.post(reverse("shop_donation", args=[donation.pk]), {
            "title": "Lampe de bureau en laiton", "price": "40,00", "condition": "very_good",
            "category": category().pk, "costs": "5,00"})
    assert accepted.status_code == 302
    donation.refresh_from_db()
    product = donation.product
    assert "En vente" in client.get(follow).content.decode()

    # A shopper buys it in the market and pays with the demo card
    shopper = client.__class__()
    shopper.post(reverse("shop:basket_add"), {"market": market.pk, "product": product.pk,
                                              "quantity": 1})
    shopper.post(reverse("shop:checkout_contact"), {
        "email": "lea@example.org", "first_name": "Léa", "last_name": "Durand", "phone": ""})
    shopper.post(reverse("shop:checkout_fulfilment"), {
        f"method_{vendor.pk}": "pickup", "pickup": market.pickup_points.get().pk})
    shopper.post(reverse("shop:checkout_donation"), {"choice": "none"})
    to_payment = shopper.post(reverse("shop:checkout_review"), {"terms": "on"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        paid = shopper.post(to_payment["Location"], {
            "card_number": "4242 4242 4242 4242", "expiry": "12/30", "security_code": "123"})
    assert paid.status_code == 302

    # The ledger books 35,00 € to the donor's project, 2,00 € of commission, 3,00 € net
    checkout = Checkout.objects.get(email="lea@example.org")
    assert checkout.state == Checkout.State.PAID
    entries = {(e.kind, e.project_id): e.amount_cents
               for e in LedgerEntry.objects.filter(checkout=checkout)}
    assert entries == {(LedgerEntry.Kind.SOLIDARITY, project.pk): 3500,
                       (LedgerEntry.Kind.COMMISSION, None): 200,
                       (LedgerEntry.Kind.VENDOR_NET, None): 300}
    balance = checkout_balance(checkout=checkout)
    assert balance.balanced and balance.charged_cents == checkout.total_cents == 4000

    # The donor is told once, with the amount; the follow-up page says « Vendu »
    to_donor = [message for message in mail.outbox if message.to == ["camille@example.org"]]
    assert len(to_donor) == 1
    assert "35,00" in to_donor[0].subject and "35,00" in to_donor[0].body
    page = client.get(follow).content.decode()
    assert "Vendu" in page and "35,00" in page
    order = Order.objects.get(checkout=checkout)
    assert order.lines.get().solidarity_unit_cents == 3500

    # A refund of the item takes the 35,00 € back from the project, the ledger still adds up
    from payments.refunds import order_lines_cancel_and_refund

    with django_capture_on_commit_callbacks(execute=True):
        order_lines_cancel_and_refund(order=order, quantities={order.lines.get().pk: 1})
    booked = LedgerEntry.objects.filter(checkout=checkout, project=project,
                                        kind=LedgerEntry.Kind.SOLIDARITY)
    assert sum(booked.values_list("amount_cents", flat=True)) == 0
    assert checkout_balance(checkout=checkout).balanced
    assert "En vente" in client.get(follow).content.decode()

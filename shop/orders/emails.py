"""E-mails after payment: the shopper's confirmation, each vendor's new-order notice, and
the shopper's « ready », « shipped » and « refunded » messages.

The confirmation and the new-order notices are sent from the outbox (`outbox`), whose
message row is locked while they are sent: two runs never overlap, and each message is
marked once sent, so a retry sends only what is left. No checkout or product lock is held
while the mail server is talked to, so a slow server never blocks shoppers.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from config.mail import send_templated_email
from shop.checkout.models import Checkout
from shop.orders.ledger import checkout_donation_cents, checkout_project_shares
from shop.orders.models import Order
from shop.orders.selectors import TO_HAND_OVER, order_page_url, orders_with_details, with_kept_units

TEMPLATES = "shop/emails/"


def _shopper_name(checkout: Checkout) -> str:
    return f"{checkout.first_name} {checkout.last_name}".strip()


def _send_confirmation(checkout_id: int, now) -> int:
    with transaction.atomic():
        checkout = Checkout.objects.get(pk=checkout_id)
        if checkout.state != Checkout.State.PAID or checkout.confirmation_sent_at:
            return 0
        orders = with_kept_units(
            list(orders_with_details().filter(checkout=checkout).order_by("pk"))
        )
        sent = send_templated_email(
            to=[checkout.email],
            template=TEMPLATES + "checkout_confirmation",
            context={
                "checkout": checkout,
                "shopper_name": _shopper_name(checkout),
                "orders": orders,
                "project_shares": checkout_project_shares(checkout),
                "donation_cents": checkout_donation_cents(checkout),
                "order_url": order_page_url(checkout),
            },
        )
        Checkout.objects.filter(pk=checkout.pk, confirmation_sent_at__isnull=True).update(
            confirmation_sent_at=now
        )
        return sent


def _send_vendor_notice(checkout_id: int, order_id: int, now) -> int:
    with transaction.atomic():
        checkout = Checkout.objects.get(pk=checkout_id)
        order = orders_with_details().get(pk=order_id)
        if order.vendor_notified_at:
            return 0
        sent = 0
        if order.state in TO_HAND_OVER:
            with_kept_units([order])
            sent = send_templated_email(
                to=[order.vendor.email],
                template=TEMPLATES + "vendor_new_order",
                context={
                    "checkout": checkout,
                    "shopper_name": _shopper_name(checkout),
                    "order": order,
                    "vendor": order.vendor,
                    "admin_url": settings.SITE_URL
                    + reverse("shop_order_admin:inspect", args=[order.pk]),
                },
                reply_to=[checkout.email] if checkout.email else None,
            )
        Order.objects.filter(pk=order.pk, vendor_notified_at__isnull=True).update(
            vendor_notified_at=now
        )
        return sent


def checkout_emails_send(*, checkout_id: int) -> int:
    """The shopper's confirmation and each vendor's new-order notice, each sent once.
    Returns the number of messages sent by this run."""
    now = timezone.now()
    sent = _send_confirmation(checkout_id, now)
    order_ids = Order.objects.filter(
        checkout_id=checkout_id, vendor_notified_at__isnull=True
    ).order_by("pk").values_list("pk", flat=True)
    for order_id in list(order_ids):
        sent += _send_vendor_notice(checkout_id, order_id, now)
    return sent


def _shopper_order_email(*, order_id: int, template: str, **context) -> int:
    order = orders_with_details().select_related("checkout").get(pk=order_id)
    with_kept_units([order])
    checkout = order.checkout
    return send_templated_email(
        to=[checkout.email],
        template=TEMPLATES + template,
        context={
            "checkout": checkout,
            "shopper_name": _shopper_name(checkout),
            "order": order,
            "vendor": order.vendor,
            "order_url": order_page_url(checkout),
            **context,
        },
        reply_to=[order.vendor.email] if order.vendor.email else None,
    )


def order_ready_email_send(*, order_id: int) -> int:
    """The order can be collected (or is about to be shipped)."""
    return _shopper_order_email(order_id=order_id, template="order_ready")


def order_refund_email_send(*, order_id: int, amount_cents: int) -> int:
    """Units of the order were cancelled and `amount_cents` refunded."""
    return _shopper_order_email(order_id=order_id, template="order_refund",
                                amount_cents=amount_cents)


def order_shipped_email_send(*, order_id: int) -> int:
    """The parcel has left: its tracking number and, for a known carrier, its tracking
    link. Sent once, marked on the order (the outbox's row lock keeps two runs apart; no
    order lock is held while the mail server is talked to)."""
    order = Order.objects.get(pk=order_id)
    if order.shipped_email_sent_at or not order.tracking_number:
        return 0
    sent = _shopper_order_email(order_id=order_id, template="order_shipped")
    Order.objects.filter(pk=order_id, shipped_email_sent_at__isnull=True).update(
        shipped_email_sent_at=timezone.now())
    return sent

"""Side effects of the shop, run by Celery after the transaction that decided them."""

from celery import shared_task

from shop.checkout.services import reservations_purge

RETRY = {"autoretry_for": (ConnectionError, TimeoutError, OSError), "retry_backoff": True,
         "max_retries": 5}


@shared_task
def purge_expired_reservations() -> int:
    return reservations_purge()


@shared_task(**RETRY)
def send_checkout_emails(checkout_id: int) -> int:
    """The shopper's confirmation and each vendor's new-order notice. Safe to run twice:
    each message is sent once, marked on the checkout and orders."""
    from shop.orders.emails import checkout_emails_send

    return checkout_emails_send(checkout_id=checkout_id)


@shared_task(**RETRY)
def send_order_ready_email(order_id: int) -> int:
    """Tell the shopper that a vendor order can be collected."""
    from shop.orders.emails import order_ready_email_send

    return order_ready_email_send(order_id=order_id)


@shared_task(**RETRY)
def send_order_shipped_email(order_id: int) -> int:
    """Tell the shopper the parcel has left, with its tracking link."""
    from shop.orders.emails import order_shipped_email_send

    return order_shipped_email_send(order_id=order_id)


@shared_task(**RETRY)
def send_order_refund_email(order_id: int, amount_cents: int) -> int:
    """Tell the shopper which units were cancelled and what is refunded."""
    from shop.orders.emails import order_refund_email_send

    return order_refund_email_send(order_id=order_id, amount_cents=amount_cents)


@shared_task(**RETRY)
def send_order_access_link(link_id: int) -> int:
    """The sign-in link of « Retrouver mes commandes », if the address has orders."""
    from shop.shoppers.emails import access_link_email_send

    return access_link_email_send(link_id=link_id)


@shared_task
def purge_order_access_links() -> int:
    from shop.shoppers.access import access_links_purge

    return access_links_purge()


@shared_task(**RETRY)
def send_donation_email(donation_id: int, kind: str) -> int:
    """The donor of an offered object: its follow-up link, then the vendor's decision."""
    from shop.donations.emails import donation_email_send

    return donation_email_send(donation_id=donation_id, kind=kind)


@shared_task(**RETRY)
def send_donation_sold_emails(checkout_id: int) -> int:
    """The donors of the donated objects a paid checkout bought: what went to their
    project. Each donor is told once."""
    from shop.donations.emails import donations_sold_send

    return donations_sold_send(checkout_id=checkout_id)

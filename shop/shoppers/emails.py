"""The e-mail of « Retrouver mes commandes »: the sign-in link, sent from the outbox."""

from django.conf import settings
from django.utils import timezone

from config.mail import send_templated_email
from shop.shoppers.access import access_link_url, has_paid_orders
from shop.shoppers.models import OrderAccessLink


def access_link_email_send(*, link_id: int) -> int:
    """Send the link if its address has paid orders; otherwise send nothing and forget the
    address (whoever typed it is told the same either way). Sent once."""
    link = OrderAccessLink.objects.filter(pk=link_id, sent_at__isnull=True).first()
    if link is None:
        return 0
    if not has_paid_orders(link.email):
        link.delete()
        return 0
    languages = {code for code, _name in settings.LANGUAGES}
    sent = send_templated_email(
        to=[link.email], template="shop/emails/order_access_link",
        context={"sign_in_url": access_link_url(link),
                 "valid_minutes": settings.SHOPPER_ACCESS_LINK_MAX_AGE // 60},
        language=link.language if link.language in languages else None,
    )
    OrderAccessLink.objects.filter(pk=link.pk, sent_at__isnull=True).update(
        sent_at=timezone.now())
    return sent

"""The e-mail address a browser session proved it reads, through a sign-in link: what
« Mes commandes » and « Mes données » show. No user account is created."""

from django.conf import settings
from django.utils import timezone

from shop.checkout.cart import cart_move_session
from shop.checkout.remembered import contact_forget, contact_remember, contact_remembered
from shop.shoppers.selectors import latest_paid_contact

ACCESS_SESSION_KEY = "shopper_access"


def shopper_sign_in(request, *, email: str) -> None:
    """Open the space of `email` in this session. The session gets a new key (a link
    opened in a session someone else planted must not hand them the space); the basket
    follows it. The contact step of the next basket is filled in from the last order."""
    old_key = request.session.session_key
    request.session.cycle_key()
    cart_move_session(old_key=old_key, new_key=request.session.session_key)
    request.session[ACCESS_SESSION_KEY] = {"email": email,
                                           "since": timezone.now().timestamp()}
    if contact_remembered(request.session).get("email", "").lower() != email:
        contact_remember(request.session, latest_paid_contact(email) or {"email": email})


def shopper_sign_out(request) -> None:
    """Close the space and forget the contact details of this session; keep the basket."""
    request.session.pop(ACCESS_SESSION_KEY, None)
    contact_forget(request.session)


def verified_email(request) -> str | None:
    """The address this session signed in with, while the sign-in is recent enough."""
    access = request.session.get(ACCESS_SESSION_KEY)
    if not isinstance(access, dict) or not access.get("email"):
        return None
    age = timezone.now().timestamp() - float(access.get("since") or 0)
    if not 0 <= age <= settings.SHOPPER_ACCESS_SESSION_MAX_AGE:
        request.session.pop(ACCESS_SESSION_KEY, None)
        return None
    return access["email"]

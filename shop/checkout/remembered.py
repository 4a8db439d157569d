"""The shopper's contact details, remembered in the browser session once given, so that
the next basket's contact step is filled in already. Nothing is kept beyond the session,
and signing out of « Mes commandes » forgets them."""

CONTACT_SESSION_KEY = "shopper_contact"
CONTACT_FIELDS = ("email", "first_name", "last_name", "phone")


def contact_remember(session, source) -> None:
    """Remember the contact fields of `source` (a checkout, or a dict of them)."""
    read = source.get if isinstance(source, dict) else lambda name: getattr(source, name, "")
    session[CONTACT_SESSION_KEY] = {name: str(read(name) or "") for name in CONTACT_FIELDS}


def contact_remembered(session) -> dict:
    """The contact fields remembered in this session, empty when none are."""
    stored = session.get(CONTACT_SESSION_KEY)
    if not isinstance(stored, dict):
        return {}
    return {name: str(stored.get(name) or "") for name in CONTACT_FIELDS if stored.get(name)}


def contact_forget(session) -> None:
    session.pop(CONTACT_SESSION_KEY, None)

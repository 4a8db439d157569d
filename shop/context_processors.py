"""The basket count of the site header, counted only when a template shows it."""

from functools import cache

from shop.checkout.selectors import basket_count


def basket(request) -> dict:
    session = getattr(request, "session", None)
    session_key = session.session_key if session is not None else None

    @cache
    def count() -> int:
        # Templates call it on first use: pages that do not show it cost no query.
        return basket_count(session_key=session_key)

    return {"basket_count": count}

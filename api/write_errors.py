"""Errors of the write API in one shape: `{"detail": "…", "errors": [{"index", "field",
"code", "message"}]}`, messages in the request's language (French first)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shop.catalogue_sync import ItemError


def _message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    messages = {
        "missing": lambda: _("This field is required."),
        "greater_than_equal": lambda: _("Give a value of at least %(limit)s.")
        % {"limit": ctx.get("ge")},
        "less_than_equal": lambda: _("Give a value of at most %(limit)s.")
        % {"limit": ctx.get("le")},
        "string_too_long": lambda: _("At most %(limit)s characters.")
        % {"limit": ctx.get("max_length")},
        "string_too_short": lambda: _("This field cannot be empty."),
        "string_pattern_mismatch": lambda: _("This value contains characters not allowed."),
        "int_parsing": lambda: _("Give a whole number."),
        "int_type": lambda: _("Give a whole number."),
        "int_from_float": lambda: _("Give a whole number (amounts are in cents)."),
        "string_type": lambda: _("Give a text."),
        "bool_type": lambda: _("Give true or false."),
        "bool_parsing": lambda: _("Give true or false."),
        "literal_error": lambda: _("Choose one of: %(choices)s.")
        % {"choices": ctx.get("expected", "")},
        "extra_forbidden": lambda: _("Unknown field."),
        "too_long": lambda: _("At most %(limit)s items in one request.")
        % {"limit": ctx.get("max_length")},
        "too_short": lambda: _("Send at least one item."),
    }
    make = messages.get(kind)
    return make() if make else error.get("msg", _("Invalid value."))


def validation_errors(raw_errors: list[dict]) -> list[dict]:
    """Pydantic's errors, with the item's index and field taken from where they were found
    (`["body", "payload", "items", 3, "price_cents"]`)."""
    items = []
    for error in raw_errors:
        loc = [part for part in error.get("loc", ()) if part not in ("body", "payload")]
        index = 0
        if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
            index, loc = loc[1], loc[2:]
        items.append({
            "index": index,
            "field": ".".join(str(part) for part in loc) or None,
            "code": "invalid",
            "message": _message(error),
        })
    return items


def refused(errors: list[dict]) -> dict:
    count = len({error["index"] for error in errors})
    return {
        "detail": ngettext(
            "Nothing was saved: %(count)d item is refused.",
            "Nothing was saved: %(count)d items are refused.", count,
        ) % {"count": count},
        "errors": errors,
    }


def item_errors(errors: list[ItemError]) -> list[dict]:
    return [
        {"index": e.index, "field": e.field, "code": e.code, "message": e.message}
        for e in errors
    ]

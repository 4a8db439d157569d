"""A difference between Stripe and us, as every check reports it."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext, gettext_noop

# A refund is made by the outbox within seconds of being recorded, a paid checkout's
# transfers are planned as soon as its payment is: what is still missing after this
# delay has been missed.
OVERDUE_AFTER = timedelta(hours=1)
LINE = gettext_noop("%(reference)s: %(what)s: ours %(ours)s, Stripe %(theirs)s")
MISSING, PRESENT = gettext_noop("missing"), gettext_noop("present")


@dataclass(frozen=True)
class Mismatch:
    """One difference. `what` is English marked for translation, its %(…)s fields taken
    from `fields`; `ours` and `theirs` are amounts, states or the words above."""

    reference: str
    what: str
    ours: object
    theirs: object
    fields: tuple[tuple[str, object], ...] = ()

    def line(self, *, translate: bool) -> str:
        def text(value):
            return gettext(value) if translate and isinstance(value, str) else value

        return text(LINE) % {
            "reference": self.reference, "what": text(self.what) % dict(self.fields),
            "ours": text(self.ours), "theirs": text(self.theirs),
        }

    @property
    def text(self) -> str:
        """In the active language (the e-mail to the platform admins)."""
        return self.line(translate=True)

    def __str__(self) -> str:
        return self.line(translate=False)


def mismatch(reference: str, what: str, ours, theirs, **fields) -> Mismatch:
    return Mismatch(reference, what, ours, theirs, tuple(fields.items()))


def since_filter(queryset, lookup: str, since: datetime | None):
    return queryset.filter(**{f"{lookup}__gte": since}) if since else queryset

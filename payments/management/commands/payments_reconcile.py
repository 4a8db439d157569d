"""List every difference between Stripe and our payments, refunds, transfers and ledger
(see `payments.reconcile`). Exit code 1 when anything differs."""

from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import timezone

from payments.reconcile import payments_reconcile


def _since(value: str) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--since expects a date such as 2026-11-01, not {value!r}") from error
    return timezone.make_aware(datetime.combine(day, time.min))


class Command(BaseCommand):
    help = ("Fetch the Stripe charges, refunds and transfers again and list every mismatch "
            "with our records and the ledger.")

    def add_arguments(self, parser):
        parser.add_argument("--since", help="only what was paid, refunded, sent or recorded "
                                            "on or after this date (YYYY-MM-DD)")

    @no_translations
    def handle(self, *args, since=None, **options):
        result = payments_reconcile(since=_since(since) if since else None)
        for mismatch in result.mismatches:
            self.stdout.write(str(mismatch))
        summary = (f"{result.checked} checkout(s) checked, "
                   f"{len(result.mismatches)} mismatch(es).")
        if result.mismatches:
            self.stdout.write(self.style.ERROR(summary))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(summary))

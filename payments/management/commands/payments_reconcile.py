"""Compare what Stripe holds with our ledger and transfers, and list every difference.

For each checkout paid through Stripe: the charge (amount, amount refunded) against the
ledger, and each transfer made (amount, amount reversed) against our Transfer row and
the share the ledger gives its beneficiary. Exit code 1 when anything differs.
"""

from datetime import date, datetime, time

import stripe
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum
from django.utils import timezone

from payments import stripe_client
from payments.models import Payment, Transfer
from payments.transfers import project_shares
from shop.models import Checkout, LedgerEntry


def _since(value: str) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--since expects a date such as 2026-11-01, not {value!r}") from error
    return timezone.make_aware(datetime.combine(day, time.min))


def _ledger(checkout: Checkout) -> dict[str, int]:
    rows = checkout.ledger.values("kind").annotate(total=Sum("amount_cents")).order_by("kind")
    return {row["kind"]: row["total"] for row in rows}


def _expected_net(transfer: Transfer, shares: dict[int, int]) -> int:
    """What the ledger says the beneficiary should keep from this transfer."""
    if transfer.kind == Transfer.Kind.VENDOR:
        return transfer.order.ledger.filter(kind=LedgerEntry.Kind.VENDOR_NET).aggregate(
            total=Sum("amount_cents", default=0))["total"]
    return shares.get(transfer.project_id, 0)


class Command(BaseCommand):
    help = "Fetch the Stripe charges and transfers again and list every mismatch with the ledger."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="only checkouts paid on or after this date "
                                            "(YYYY-MM-DD)")

    def handle(self, *args, since=None, **options):
        checkouts = Checkout.objects.filter(state=Checkout.State.PAID, gateway="stripe")
        if since:
            checkouts = checkouts.filter(paid_at__gte=_since(since))
        client = stripe_client.stripe_client()
        mismatches = checked = 0
        for checkout in checkouts.order_by("paid_at", "pk").iterator(chunk_size=200):
            checked += 1
            for what, ours, theirs in self._compare(checkout, client):
                mismatches += 1
                self.stdout.write(f"{checkout.reference}: {what}: ours {ours}, Stripe {theirs}")
        summary = f"{checked} checkout(s) checked, {mismatches} mismatch(es)."
        if mismatches:
            self.stdout.write(self.style.ERROR(summary))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(summary))

    def _compare(self, checkout: Checkout, client: stripe.StripeClient):
        payment = Payment.objects.filter(
            checkout=checkout, gateway="stripe", external_id=checkout.payment_reference,
        ).first()
        if payment is None:
            yield "payment", "missing", checkout.payment_reference or "?"
            return
        try:
            intent = client.v1.payment_intents.retrieve(payment.external_id).to_dict()
            charge = intent.get("latest_charge")
            if isinstance(charge, str):
                charge = client.v1.charges.retrieve(charge).to_dict()
        except stripe.StripeError as error:
            yield f"payment intent {payment.external_id}", "present", f"error ({error})"
            return
        ledger = _ledger(checkout)
        charged = charge["amount"] if charge else 0
        if sum(ledger.values()) != charged:
            yield "amount charged", sum(ledger.values()), charged
        refunded = ledger.get(LedgerEntry.Kind.REFUND, 0)
        if charge and refunded != charge["amount_refunded"]:
            yield "amount refunded", refunded, charge["amount_refunded"]

        shares = project_shares(checkout=checkout)
        transfers = checkout.transfers.select_related("order").exclude(external_id="")
        for transfer in transfers.order_by("pk"):
            label = f"transfer {transfer.external_id}"
            try:
                remote = client.v1.transfers.retrieve(transfer.external_id).to_dict()
            except stripe.StripeError as error:
                yield label, "present", f"error ({error})"
                continue
            if remote["amount"] != transfer.amount_cents:
                yield f"{label} amount", transfer.amount_cents, remote["amount"]
            if remote["amount_reversed"] != transfer.reversed_cents:
                yield f"{label} reversed", transfer.reversed_cents, remote["amount_reversed"]
            expected = _expected_net(transfer, shares)
            kept = remote["amount"] - remote["amount_reversed"]
            if kept != expected:
                yield f"{label} net for the beneficiary (ledger)", expected, kept

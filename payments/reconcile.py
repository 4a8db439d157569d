"""Compare what Stripe holds with our payments, refunds, transfers and ledger, and list
every difference, one line each with the checkout's reference.

Checked: each checkout paid through Stripe (its charge and refunds against the ledger and
our refunds, each transfer made against our row and the ledger's share); payments we do
not count as paid whose PaymentIntent Stripe charged; our refunds never made or refused;
vendor orders with no transfer, transfers refused or waiting long for an account that can
receive them; follow-up tasks the outbox gave up. Stripe is only asked about those
candidates. Used by `manage.py payments_reconcile` and the nightly task.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import stripe
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from config.mail import send_templated_email
from outbox.models import OutboxMessage
from shop.models import Checkout, LedgerEntry, Order

from . import stripe_client
from .models import Payment, Refund, Transfer
from .recovery import RECOVER_AFTER
from .transfers import project_shares

# A refund is made by the outbox within seconds of being recorded, a paid checkout's
# transfers are planned as soon as its payment is: what is still missing after this
# delay has been missed.
OVERDUE_AFTER = timedelta(hours=1)
# A transfer waits for its beneficiary's account; once the account can receive it, the
# transfer goes within minutes (`account.updated`).
WAITING_TOO_LONG = timedelta(days=1)
TRANSFERRED_ORDER_STATES = (Order.State.PAID, Order.State.READY, Order.State.FULFILLED,
                            Order.State.PARTIALLY_REFUNDED)
STRIPE_REFUND_LOST = ("failed", "canceled")
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


@dataclass
class Reconciliation:
    """How many paid checkouts were compared with Stripe, and every difference found."""

    checked: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)


class _Stripe:
    """The Stripe client, built on the first call: a run with no candidate asks
    nothing (and needs no key, with the demo gateway)."""

    def __init__(self):
        self._client = None

    def __getattr__(self, name):
        if self._client is None:
            self._client = stripe_client.stripe_client()
        return getattr(self._client, name)


def _mismatch(reference: str, what: str, ours, theirs, **fields) -> Mismatch:
    return Mismatch(reference, what, ours, theirs, tuple(fields.items()))


def payments_reconcile(*, since: datetime | None = None, now: datetime | None = None
                       ) -> Reconciliation:
    """Every difference between Stripe and us, for what was paid, made or recorded from
    `since` (everything when None)."""
    now = now or timezone.now()
    client = _Stripe()
    result = Reconciliation()
    checkouts = Checkout.objects.filter(state=Checkout.State.PAID, gateway="stripe")
    if since:
        checkouts = checkouts.filter(paid_at__gte=since)
    for checkout in checkouts.order_by("paid_at", "pk").iterator(chunk_size=200):
        result.checked += 1
        result.mismatches += _paid_checkout(checkout, client)
    for check in (_charged_without_order, _refunds_not_made, _transfers_missing,
                  _transfers_stuck, _follow_ups_given_up):
        result.mismatches += check(since=since, now=now, client=client)
    return result


def _since(queryset, lookup: str, since: datetime | None):
    return queryset.filter(**{f"{lookup}__gte": since}) if since else queryset


def _charge(client, intent: dict) -> dict | None:
    """The PaymentIntent's latest charge, fetched unless Stripe expanded it."""
    charge = intent.get("latest_charge")
    if isinstance(charge, str):
        charge = client.v1.charges.retrieve(charge).to_dict()
    return charge


def _ledger(checkout: Checkout) -> dict[str, int]:
    rows = checkout.ledger.values("kind").annotate(total=Sum("amount_cents")).order_by("kind")
    return {row["kind"]: row["total"] for row in rows}


def _expected_net(transfer: Transfer, shares: dict[int, int]) -> int:
    """What the ledger says the beneficiary should keep from this transfer."""
    if transfer.kind == Transfer.Kind.VENDOR:
        return transfer.order.ledger.filter(kind=LedgerEntry.Kind.VENDOR_NET).aggregate(
            total=Sum("amount_cents", default=0))["total"]
    return shares.get(transfer.project_id, 0)


def _paid_checkout(checkout: Checkout, client) -> Iterator[Mismatch]:
    """The charge against the ledger, its refunds against ours, each transfer made
    against our row and the ledger."""
    ref = checkout.reference
    payment = Payment.objects.filter(
        checkout=checkout, gateway="stripe", external_id=checkout.payment_reference,
    ).first()
    if payment is None:
        yield _mismatch(ref, gettext_noop("payment"), MISSING,
                        checkout.payment_reference or "?")
        return
    try:
        charge = _charge(client, client.v1.payment_intents.retrieve(payment.external_id)
                         .to_dict())
    except stripe.StripeError as error:
        yield _mismatch(ref, gettext_noop("payment intent %(id)s"), PRESENT, f"error ({error})",
                        id=payment.external_id)
        return
    ledger = _ledger(checkout)
    charged = charge["amount"] if charge else 0
    if sum(ledger.values()) != charged:
        yield _mismatch(ref, gettext_noop("amount charged"), sum(ledger.values()), charged)
    refunded = ledger.get(LedgerEntry.Kind.REFUND, 0)
    if charge and refunded != charge["amount_refunded"]:
        yield _mismatch(ref, gettext_noop("amount refunded"), refunded,
                        charge["amount_refunded"])
    if charge and charge["amount_refunded"]:
        yield from _stripe_refunds_unknown(ref, payment, charge["id"], client)
    yield from _transfers_made(checkout, client)


def _stripe_refunds_unknown(ref: str, payment: Payment, charge_id: str, client
                            ) -> Iterator[Mismatch]:
    """Refunds Stripe made on the charge that we hold no trace of (made in its dashboard
    while the `charge.refunded` webhook was lost)."""
    ours = set(payment.refunds.exclude(external_id="").values_list("external_id", flat=True))
    try:
        remote = client.v1.refunds.list(params={"charge": charge_id, "limit": 100})
    except stripe.StripeError as error:
        yield _mismatch(ref, gettext_noop("refunds of %(id)s"), PRESENT, f"error ({error})",
                        id=charge_id)
        return
    for item in remote.auto_paging_iter():
        if item["id"] in ours or item["status"] in STRIPE_REFUND_LOST:
            continue
        yield _mismatch(ref, gettext_noop("refund %(id)s of %(amount)s cents (%(status)s)"),
                        MISSING, PRESENT, id=item["id"], amount=item["amount"],
                        status=item["status"])


def _transfers_made(checkout: Checkout, client) -> Iterator[Mismatch]:
    ref = checkout.reference
    shares = project_shares(checkout=checkout)
    transfers = checkout.transfers.select_related("order").exclude(external_id="")
    for transfer in transfers.order_by("pk"):
        tr = transfer.external_id
        try:
            remote = client.v1.transfers.retrieve(tr).to_dict()
        except stripe.StripeError as error:
            yield _mismatch(ref, gettext_noop("transfer %(id)s"), PRESENT, f"error ({error})",
                            id=tr)
            continue
        if remote["amount"] != transfer.amount_cents:
            yield _mismatch(ref, gettext_noop("transfer %(id)s amount"), transfer.amount_cents,
                            remote["amount"], id=tr)
        if remote["amount_reversed"] != transfer.reversed_cents:
            yield _mismatch(ref, gettext_noop("transfer %(id)s reversed"),
                            transfer.reversed_cents, remote["amount_reversed"], id=tr)
        expected = _expected_net(transfer, shares)
        kept = remote["amount"] - remote["amount_reversed"]
        if kept != expected:
            yield _mismatch(ref, gettext_noop("transfer %(id)s net for the beneficiary "
                                              "(ledger)"), expected, kept, id=tr)


def _charged_without_order(*, since, now, client) -> Iterator[Mismatch]:
    """Payments we do not count as paid (replaced, failed, never confirmed to us) whose
    PaymentIntent Stripe charged and did not refund in full: the shopper paid for
    nothing. Younger ones are left to the webhook and `payments_recover`."""
    payments = Payment.objects.filter(
        gateway="stripe", state__in=Payment.UNSETTLED, created_at__lte=now - RECOVER_AFTER,
    ).exclude(external_id="").select_related("checkout")
    for payment in _since(payments, "created_at", since).order_by("pk").iterator(
            chunk_size=200):
        ref = payment.checkout.reference
        try:
            intent = client.v1.payment_intents.retrieve(payment.external_id).to_dict()
            charge = _charge(client, intent) if intent.get("status") == "succeeded" else None
        except stripe.StripeError as error:
            yield _mismatch(ref, gettext_noop("payment intent %(id)s"), PRESENT,
                            f"error ({error})", id=payment.external_id)
            continue
        if charge is None or charge["amount_refunded"] >= charge["amount"]:
            continue
        yield _mismatch(ref, gettext_noop("payment %(id)s charged without an order"),
                        payment.state, intent["status"], id=payment.external_id)


def _refunds_not_made(*, since, now, client) -> Iterator[Mismatch]:
    """Our refunds still not made at the gateway an hour on, and those it refused: the
    shopper is owed them."""
    refunds = Refund.objects.filter(
        Q(state=Refund.State.PENDING, external_id="", created_at__lte=now - OVERDUE_AFTER)
        | Q(state=Refund.State.FAILED)
    ).select_related("payment__checkout")
    for refund in _since(refunds, "created_at", since).order_by("pk").iterator(chunk_size=200):
        ref = refund.payment.checkout.reference
        if refund.state == Refund.State.FAILED:
            yield _mismatch(ref, gettext_noop("refund #%(id)s of %(amount)s cents "
                                              "(%(reason)s)"),
                            gettext_noop("failed"), refund.external_id or MISSING,
                            id=refund.pk, amount=refund.amount_cents,
                            reason=refund.failure_message or "?")
        else:
            yield _mismatch(ref, gettext_noop("refund #%(id)s of %(amount)s cents"),
                            gettext_noop("pending"), MISSING, id=refund.pk,
                            amount=refund.amount_cents)


def _transfers_missing(*, since, now, client) -> Iterator[Mismatch]:
    """Vendor orders of paid Stripe checkouts that owe the vendor something and have no
    transfer planned."""
    orders = Order.objects.filter(
        checkout__state=Checkout.State.PAID, checkout__gateway="stripe",
        checkout__paid_at__lte=now - OVERDUE_AFTER, state__in=TRANSFERRED_ORDER_STATES,
        vendor_net_cents__gt=0,
    ).filter(~Exists(Transfer.objects.filter(kind=Transfer.Kind.VENDOR, order=OuterRef("pk"))))
    orders = _since(orders, "checkout__paid_at", since).select_related("checkout")
    for order in orders.order_by("pk").iterator(chunk_size=200):
        yield _mismatch(order.checkout.reference,
                        gettext_noop("order %(number)s vendor transfer of %(amount)s cents"),
                        MISSING, MISSING, number=order.number, amount=order.vendor_net_cents)


def _transfers_stuck(*, since, now, client) -> Iterator[Mismatch]:
    """Transfers Stripe refused, and those waiting for more than a day though their
    beneficiary's account can receive them."""
    waiting = Q(state=Transfer.State.PENDING, updated_at__lte=now - WAITING_TOO_LONG) & (
        Q(kind=Transfer.Kind.VENDOR, order__vendor__transfers_active=True)
        | Q(kind=Transfer.Kind.PROJECT, project__transfers_active=True)
    )
    transfers = Transfer.objects.filter(waiting | Q(state=Transfer.State.FAILED))
    transfers = _since(transfers, "created_at", since).select_related("checkout")
    for transfer in transfers.order_by("pk").iterator(chunk_size=200):
        fields = {"id": transfer.pk, "amount": transfer.amount_cents,
                  "destination": transfer.destination or "?"}
        if transfer.state == Transfer.State.FAILED:
            yield _mismatch(transfer.checkout.reference,
                            gettext_noop("transfer #%(id)s of %(amount)s cents to "
                                         "%(destination)s (%(reason)s)"),
                            gettext_noop("failed"), MISSING,
                            reason=transfer.failure_message or "?", **fields)
        else:
            yield _mismatch(transfer.checkout.reference,
                            gettext_noop("transfer #%(id)s of %(amount)s cents to "
                                         "%(destination)s waiting for a day though the "
                                         "account is active"),
                            gettext_noop("pending"), MISSING, **fields)


# The checkout a follow-up task is about, from its first argument.
FOLLOW_UP_CHECKOUTS = {
    "shop.tasks.send_checkout_emails": "pk",
    "payments.transfers.send_transfer": "transfers__pk",
    "payments.transfers.adjust_transfers": "orders__pk",
    "payments.tasks.execute_refund": "payments__refunds__pk",
    "payments.tasks.cancel_payment": "payments__pk",
    "payments.tasks.send_payment_failed_email": "payments__pk",
    "payments.tasks.send_dispute_email": "payments__pk",
}


def _follow_up_reference(message: OutboxMessage) -> str:
    lookup = FOLLOW_UP_CHECKOUTS.get(message.task)
    if lookup and message.args:
        reference = Checkout.objects.filter(**{lookup: message.args[0]}).values_list(
            "reference", flat=True).first()
        if reference:
            return reference
    return message.key


def _follow_ups_given_up(*, since, now, client) -> Iterator[Mismatch]:
    """Follow-up tasks the outbox stopped trying (a refund, a transfer, an e-mail, a
    webhook): `outbox_retry` starts them again."""
    messages = OutboxMessage.objects.filter(given_up_at__isnull=False, done_at__isnull=True)
    for message in _since(messages, "created_at", since).order_by("pk").iterator(
            chunk_size=200):
        yield _mismatch(_follow_up_reference(message),
                        gettext_noop("follow-up %(task)s given up after %(attempts)s attempts "
                                     "(%(error)s)"),
                        gettext_noop("given up"), MISSING, task=message.task,
                        attempts=message.attempts, error=message.last_error or "?")


def reconciliation_report(*, now: datetime | None = None) -> int:
    """Run the reconciliation and, when anything differs, e-mail the list to every active
    platform admin. Returns the number of differences."""
    result = payments_reconcile(now=now)
    if result.mismatches:
        admins = get_user_model().objects.filter(is_superuser=True, is_active=True)
        send_templated_email(
            to=list(admins.exclude(email="").order_by("pk").values_list("email", flat=True)),
            template="payments/emails/reconciliation",
            context={"mismatches": result.mismatches, "checked": result.checked,
                     "count": len(result.mismatches)},
        )
    return len(result.mismatches)

"""Compare what Stripe holds with our payments, refunds, transfers and ledger, and list
every difference, one line each with the checkout's reference.

Checked: each checkout paid through Stripe (its charge and refunds against the ledger and
our refunds, each transfer made against our row and the ledger's share); payments we do
not count as paid whose PaymentIntent Stripe charged; our refunds never made or refused;
vendor orders with no transfer, transfers refused or waiting long for an account that can
receive them; follow-up tasks the outbox gave up. Stripe is only asked about those
candidates. Used by `manage.py payments_reconcile` and the nightly task.
"""

from .mismatch import Mismatch
from .runner import Reconciliation, payments_reconcile, reconciliation_report

__all__ = ["Mismatch", "Reconciliation", "payments_reconcile", "reconciliation_report"]

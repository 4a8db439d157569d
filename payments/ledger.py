"""The money invariant, asserted in code: for every checkout, what the gateway charged
less what was decided to go back equals the ledger's entries other than refunds, to the
cent. (Refund entries record where the refunded cents came from, so all the entries of a
checkout add up to what its paying payment charged.)"""

from dataclasses import dataclass

from django.db.models import Sum

from shop.models import Checkout
from shop.orders.ledger import ledger_booked_cents

from .models import Payment, Refund


class LedgerImbalance(AssertionError):
    """The ledger of a checkout no longer matches its payments: nothing is written."""


@dataclass(frozen=True)
class Balance:
    charged_cents: int
    refunded_cents: int
    ledger_cents: int

    @property
    def balanced(self) -> bool:
        return self.charged_cents - self.refunded_cents == self.ledger_cents


def checkout_balance(*, checkout: Checkout) -> Balance:
    """Charged (payments that succeeded), refunded (every refund decided on them: one that
    the gateway refused is still owed, and listed by `payments_reconcile`) and the
    ledger's non-refund entries of `checkout`."""
    charged = Payment.objects.filter(checkout=checkout, state__in=Payment.CHARGED).aggregate(
        total=Sum("amount_cents", default=0))["total"]
    refunded = Refund.objects.filter(
        payment__checkout=checkout, payment__state__in=Payment.CHARGED,
    ).aggregate(total=Sum("amount_cents", default=0))["total"]
    return Balance(charged, refunded, ledger_booked_cents(checkout))


def checkout_assert_balanced(*, checkout: Checkout) -> Balance:
    """Raise `LedgerImbalance` (rolling the caller's transaction back) when the checkout's
    money does not add up."""
    balance = checkout_balance(checkout=checkout)
    if not balance.balanced:
        raise LedgerImbalance(
            f"checkout {checkout.reference}: charged {balance.charged_cents} − refunded "
            f"{balance.refunded_cents} ≠ ledger {balance.ledger_cents}"
        )
    return balance

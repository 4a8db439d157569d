"""A fake Stripe API for the Connect calls: a `stripe.HTTPClient` that records every
request and answers like Stripe would, replaying the same answer for a repeated
idempotency key (a refusal included: Stripe keeps the first answer to a key for 24 hours,
errors too)."""

import itertools
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe

from payments import stripe_client as stripe_client_module
from payments.models import Payment
from shop.models import Checkout
from tests.factories import MarketPageFactory, ProductFactory, paid_checkout


@dataclass
class Call:
    method: str
    path: str
    params: dict
    idempotency_key: str | None


@dataclass
class FakeStripeHTTP(stripe.HTTPClient):
    name = "fake"
    calls: list[Call] = field(default_factory=list)
    accounts: dict = field(default_factory=dict)
    transfers: dict = field(default_factory=dict)
    charges: dict = field(default_factory=dict)
    intents: dict = field(default_factory=dict)
    refunds: dict = field(default_factory=dict)

    def __post_init__(self):
        super().__init__()
        self._ids = itertools.count(1)
        self._replies: dict[str, tuple[dict, int]] = {}
        self._transfer_refusals: list[dict] = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        params = dict(parse_qsl(post_data or parts.query or "", keep_blank_values=True))
        key = (headers or {}).get("Idempotency-Key")
        self.calls.append(Call(method.upper(), parts.path, params, key))
        if method.upper() == "POST" and key in self._replies:
            body, status = self._replies[key]
        else:
            body, status = self._answer(method.upper(), parts.path, params)
            if method.upper() == "POST" and key:
                self._replies[key] = (body, status)
        return json.dumps(body), status, {"request-id": "req_fake"}

    def request_stream(self, *args, **kwargs):
        raise NotImplementedError

    def close(self):
        pass

    def posts(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.method == "POST" and re.fullmatch(path, c.path)]

    def account(self, account_id: str, *, transfers: str = "active", payouts: bool = True):
        self.accounts[account_id] = {
            "id": account_id, "object": "account", "payouts_enabled": payouts,
            "capabilities": {"transfers": transfers},
        }
        return self.accounts[account_id]

    def refuse_transfers(self, count: int = 1, *, code: str = "balance_insufficient",
                         message: str = "Insufficient funds in Stripe account.") -> None:
        """Refuse the next `count` transfers asked for, as Stripe does when the
        platform's balance cannot cover them."""
        self._transfer_refusals += [{"type": "invalid_request_error", "code": code,
                                     "message": message}] * count

    def refund(self, charge_id: str, amount: int, *, status: str = "succeeded",
               our_id: str = "") -> dict:
        """A refund Stripe holds on `charge_id` (made by us, or in Stripe's dashboard)."""
        refund = {"id": f"re_{next(self._ids)}", "object": "refund", "amount": amount,
                  "charge": charge_id, "status": status,
                  "metadata": {"refund_id": our_id} if our_id else {}}
        self.refunds[refund["id"]] = refund
        self.charges[charge_id]["amount_refunded"] += amount
        return refund

    def _answer(self, method: str, path: str, params: dict) -> tuple[dict, int]:
        if method == "POST" and path == "/v1/accounts":
            account = self.account(f"acct_{next(self._ids)}", transfers="inactive",
                                   payouts=False)
            return account, 200
        if method == "POST" and path == "/v1/account_links":
            return {"object": "account_link",
                    "url": f"https://connect.stripe.test/setup/{params['account']}"}, 200
        if match := re.fullmatch(r"/v1/accounts/(\w+)", path):
            return self.accounts[match[1]], 200
        if match := re.fullmatch(r"/v1/payment_intents/(\w+)", path):
            return self.intents.get(match[1]) or _missing(), 200 if match[1] in self.intents \
                else 404
        if match := re.fullmatch(r"/v1/charges/(\w+)", path):
            return self.charges.get(match[1]) or _missing(), 200 if match[1] in self.charges \
                else 404
        if method == "POST" and path == "/v1/transfers":
            if self._transfer_refusals:
                return {"error": self._transfer_refusals.pop(0)}, 400
            transfer = {"id": f"tr_{next(self._ids)}", "object": "transfer",
                        "amount": int(params["amount"]), "amount_reversed": 0,
                        "destination": params["destination"], "reversed": False,
                        "transfer_group": params.get("transfer_group"),
                        "metadata": _nested(params, "metadata")}
            self.transfers[transfer["id"]] = transfer
            return transfer, 200
        if method == "GET" and path == "/v1/transfers":
            return _list("/v1/transfers", [
                t for t in self.transfers.values()
                if t.get("transfer_group") == params.get("transfer_group")
            ]), 200
        if method == "GET" and path == "/v1/refunds":
            return _list("/v1/refunds", [r for r in self.refunds.values()
                                         if r["charge"] == params.get("charge")]), 200
        if match := re.fullmatch(r"/v1/transfers/(\w+)/reversals", path):
            transfer = self.transfers[match[1]]
            transfer["amount_reversed"] += int(params["amount"])
            return {"id": f"trr_{next(self._ids)}", "object": "transfer_reversal",
                    "amount": int(params["amount"]), "transfer": match[1]}, 200
        if match := re.fullmatch(r"/v1/transfers/(\w+)", path):
            return self.transfers[match[1]], 200
        return _missing(), 404


def _nested(params: dict, name: str) -> dict:
    """{"metadata[order]": "x"} → {"order": "x"}, as Stripe reads form-encoded hashes."""
    prefix = f"{name}["
    return {key[len(prefix):-1]: value for key, value in params.items()
            if key.startswith(prefix)}


def _list(url: str, data: list) -> dict:
    return {"object": "list", "url": url, "has_more": False, "data": data}


def _missing() -> dict:
    return {"error": {"type": "invalid_request_error", "message": "No such object"}}


@pytest.fixture
def fake_stripe(settings, monkeypatch) -> FakeStripeHTTP:
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_API_BASE = ""
    fake = FakeStripeHTTP()
    real = stripe_client_module.stripe_client
    monkeypatch.setattr(stripe_client_module, "stripe_client",
                        lambda http_client=None: real(http_client=http_client or fake))
    return fake


def stripe_paid(checkout: Checkout, fake: FakeStripeHTTP, *, intent: str = "pi_1") -> Payment:
    """Make `checkout` one paid through Stripe: its Payment, PaymentIntent and charge."""
    Checkout.objects.filter(pk=checkout.pk).update(gateway="stripe", payment_reference=intent)
    checkout.refresh_from_db()
    charge = f"ch_{intent[3:]}"
    fake.intents[intent] = {"id": intent, "object": "payment_intent", "status": "succeeded",
                            "amount": checkout.total_cents, "latest_charge": charge}
    fake.charges[charge] = {"id": charge, "object": "charge", "amount": checkout.total_cents,
                            "amount_refunded": 0}
    return Payment.objects.create(checkout=checkout, gateway="stripe", external_id=intent,
                                  amount_cents=checkout.total_cents,
                                  state=Payment.State.SUCCEEDED)


class Sale:
    """A checkout paid through Stripe: one vendor, two units of a 20 € bowl, 5 %
    commission, 10 % solidarity to `project` (when given)."""

    def __init__(self, fake, *, project=None, market=None, vendor_account="",
                 vendor_active=False, donation_cents=0, intent="pi_1"):
        self.market = market or MarketPageFactory(commission_bps=500)
        self.product = ProductFactory(price_cents=2000, stock=5, solidarity_bps=1000 if project
                                      else 0, solidarity_project=project)
        vendor = self.product.vendor
        vendor.stripe_account_id = vendor_account
        vendor.transfers_active = vendor_active
        vendor.save()
        self.vendor = vendor
        extra = {"chosen_project": project, "donation_cents": donation_cents} if project else {}
        self.checkout = paid_checkout([(self.product, 2)], market=self.market, **extra)
        self.payment = stripe_paid(self.checkout, fake, intent=intent)
        self.order = self.checkout.orders.get()

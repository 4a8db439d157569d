"""Stripe Connect onboarding: the connected accounts of vendors, solidarity projects and
organisers.

The platform creates each account (it pays Stripe's fees and bears the losses, the
beneficiary gets the Express dashboard), sends the beneficiary to Stripe's hosted
onboarding, and learns from `account.updated` when transfers may be made. A vendor
sells before its account is ready: its transfers wait and go once it is. So does the
commission of an organiser whose account is opened but not complete yet.
"""

from dataclasses import dataclass

from django.db import models, transaction

from markets.models import Organiser, SolidarityProject
from vendors.models import Vendor

from . import stripe_client
from .models import Transfer

ACCOUNT_CONTROLLER = {
    "fees": {"payer": "application"},
    "losses": {"payments": "application"},
    "stripe_dashboard": {"type": "express"},
    "requirement_collection": "stripe",
}


@dataclass(frozen=True)
class Receiver:
    """A kind of beneficiary with a connected account: its name in our idempotency keys
    and Stripe's metadata, its model, and the transfers that wait for its account."""

    name: str
    model: type[models.Model]
    transfer_kind: str
    transfer_lookup: str  # from a Transfer to the beneficiary
    records_payouts: bool  # the model keeps Stripe's `payouts_enabled`


# Also the order in which `account_updated` locks them.
RECEIVERS = (
    Receiver("vendor", Vendor, Transfer.Kind.VENDOR, "order__vendor", True),
    Receiver("project", SolidarityProject, Transfer.Kind.PROJECT, "project", False),
    Receiver("organiser", Organiser, Transfer.Kind.ORGANISER, "organiser", True),
)


def _lock(model, pk):
    return model.objects.filter(pk=pk).order_by("pk").select_for_update(of=("self",)).get()


def _business_profile(beneficiary) -> tuple[str, str]:
    """The e-mail and the name Stripe's onboarding starts from."""
    if isinstance(beneficiary, Vendor):
        return beneficiary.email, beneficiary.name
    if isinstance(beneficiary, Organiser):
        return beneficiary.contact_email, beneficiary.name
    return "", beneficiary.beneficiary or beneficiary.title


def connect_account_create(
    *, vendor: Vendor | None = None, project: SolidarityProject | None = None,
    organiser: Organiser | None = None,
) -> str:
    """The connected account of `vendor`, `project` or `organiser` (give one), created on
    Stripe the first time. Two clicks at once create one account: the idempotency key is
    built from our id, so Stripe answers both with the same account, and the first to
    record it wins. No row is locked while Stripe is called."""
    given = [(receiver, instance) for receiver, instance
             in zip(RECEIVERS, (vendor, project, organiser), strict=True) if instance is not None]
    if len(given) != 1:
        raise ValueError("give one vendor, project or organiser")
    [(receiver, instance)] = given
    model, pk = receiver.model, instance.pk
    beneficiary = model.objects.get(pk=pk)
    if beneficiary.stripe_account_id:
        return beneficiary.stripe_account_id
    email, name = _business_profile(beneficiary)
    params = {
        "country": "FR",
        "controller": ACCOUNT_CONTROLLER,
        "capabilities": {"transfers": {"requested": True}},
        "business_profile": {"name": name},
        "metadata": {receiver.name: str(pk)},
    }
    if email:
        params["email"] = email
    account = stripe_client.stripe_client().v1.accounts.create(
        params=params, options={"idempotency_key": f"account-{receiver.name}-{pk}"}
    )
    # A page is saved through `update` so that no revision or publish logic runs.
    model.objects.filter(pk=pk, stripe_account_id="").update(stripe_account_id=account.id)
    return model.objects.values_list("stripe_account_id", flat=True).get(pk=pk)


def connect_onboarding_link(*, account_id: str, return_url: str, refresh_url: str) -> str:
    """A one-time address of Stripe's hosted onboarding for `account_id`."""
    link = stripe_client.stripe_client().v1.account_links.create(params={
        "account": account_id, "type": "account_onboarding",
        "return_url": return_url, "refresh_url": refresh_url,
    })
    return link.url


def connect_account_refresh(*, account_id: str) -> dict:
    """Fetch the account again from Stripe and record its state."""
    account = stripe_client.stripe_client().v1.accounts.retrieve(account_id).to_dict()
    account_updated(account=account)
    return account


def _transfers_capability(account) -> str:
    capabilities = account.get("capabilities") or {}
    return capabilities.get("transfers") or "inactive"


def _record_state(receiver: Receiver, *, account: dict, active: bool) -> list[int]:
    """Record the account's state on the beneficiary of this kind that holds it, if any.
    Returns its pending transfers when transfers have just become active."""
    held_by = receiver.model.objects.filter(stripe_account_id=account["id"]).order_by("pk")
    beneficiary = held_by.first()
    if beneficiary is None:
        return []
    beneficiary = _lock(receiver.model, beneficiary.pk)
    state = {"transfers_active": active}
    if receiver.records_payouts:
        state["payouts_enabled"] = bool(account.get("payouts_enabled"))
    receiver.model.objects.filter(pk=beneficiary.pk).update(**state)
    if not active or beneficiary.transfers_active:
        return []
    waiting = Transfer.objects.filter(kind=receiver.transfer_kind, state=Transfer.State.PENDING,
                                      **{receiver.transfer_lookup: beneficiary})
    return list(waiting.values_list("pk", flat=True))


@transaction.atomic
def account_updated(*, account: dict) -> None:
    """Record what Stripe says of a connected account (`account.updated`, or the account
    fetched again when the beneficiary comes back from onboarding). When transfers become
    possible, the transfers that waited for the account are queued."""
    from .transfers import transfers_requeue

    active = _transfers_capability(account) == "active"
    waiting = [pk for receiver in RECEIVERS
               for pk in _record_state(receiver, account=account, active=active)]
    transfers_requeue(transfer_pks=waiting)


def connect_status(*, account_id: str, transfers_active: bool) -> str:
    """« not_opened », « incomplete » or « active », for the back office."""
    if not account_id:
        return "not_opened"
    return "active" if transfers_active else "incomplete"


def payout_account_status(beneficiary) -> str:
    """`connect_status` of a vendor's, a project's or an organiser's account."""
    return connect_status(account_id=beneficiary.stripe_account_id,
                          transfers_active=beneficiary.transfers_active)

"""Stripe Connect onboarding: the connected accounts of vendors and solidarity projects.

The platform creates each account (it pays Stripe's fees and bears the losses, the
beneficiary gets the Express dashboard), sends the beneficiary to Stripe's hosted
onboarding, and learns from `account.updated` when transfers may be made. A vendor
sells before its account is ready: its transfers wait and go once it is.
"""

from django.db import transaction

from markets.models import SolidarityProject
from vendors.models import Vendor

from . import stripe_client
from .models import Transfer

ACCOUNT_CONTROLLER = {
    "fees": {"payer": "application"},
    "losses": {"payments": "application"},
    "stripe_dashboard": {"type": "express"},
    "requirement_collection": "stripe",
}


def _lock(model, pk):
    return model.objects.filter(pk=pk).order_by("pk").select_for_update(of=("self",)).get()


def connect_account_create(
    *, vendor: Vendor | None = None, project: SolidarityProject | None = None
) -> str:
    """The connected account of `vendor` or `project`, created on Stripe the first time.
    Two clicks at once create one account: the idempotency key is built from our id, so
    Stripe answers both with the same account, and the first to record it wins. No row
    is locked while Stripe is called."""
    if (vendor is None) == (project is None):
        raise ValueError("give a vendor or a project")
    if vendor is not None:
        model, pk, key = Vendor, vendor.pk, f"account-vendor-{vendor.pk}"
        beneficiary = Vendor.objects.get(pk=pk)
        email, name = beneficiary.email, beneficiary.name
    else:
        model, pk, key = SolidarityProject, project.pk, f"account-project-{project.pk}"
        beneficiary = SolidarityProject.objects.get(pk=pk)
        email, name = "", beneficiary.beneficiary or beneficiary.title
    if beneficiary.stripe_account_id:
        return beneficiary.stripe_account_id
    params = {
        "country": "FR",
        "controller": ACCOUNT_CONTROLLER,
        "capabilities": {"transfers": {"requested": True}},
        "business_profile": {"name": name},
        "metadata": {"vendor" if vendor is not None else "project": str(pk)},
    }
    if email:
        params["email"] = email
    account = stripe_client.stripe_client().v1.accounts.create(
        params=params, options={"idempotency_key": key}
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


@transaction.atomic
def account_updated(*, account: dict) -> None:
    """Record what Stripe says of a connected account (`account.updated`, or the account
    fetched again when the beneficiary comes back from onboarding). When transfers become
    possible, the transfers that waited for the account are queued."""
    from .transfers import transfers_requeue

    account_id = account["id"]
    active = _transfers_capability(account) == "active"
    waiting = Transfer.objects.none()
    vendor = Vendor.objects.filter(stripe_account_id=account_id).order_by("pk").first()
    if vendor is not None:
        vendor = _lock(Vendor, vendor.pk)
        became_active = active and not vendor.transfers_active
        Vendor.objects.filter(pk=vendor.pk).update(
            transfers_active=active, payouts_enabled=bool(account.get("payouts_enabled")),
        )
        if became_active:
            waiting = Transfer.objects.filter(kind=Transfer.Kind.VENDOR, order__vendor=vendor)
    project = SolidarityProject.objects.filter(stripe_account_id=account_id).first()
    if project is not None:
        project = _lock(SolidarityProject, project.pk)
        became_active = active and not project.transfers_active
        SolidarityProject.objects.filter(pk=project.pk).update(transfers_active=active)
        if became_active:
            waiting = waiting | Transfer.objects.filter(kind=Transfer.Kind.PROJECT,
                                                        project=project)
    transfers_requeue(
        transfer_pks=list(waiting.filter(state=Transfer.State.PENDING).values_list("pk",
                                                                                  flat=True))
    )


def connect_status(*, account_id: str, transfers_active: bool) -> str:
    """« not_opened », « incomplete » or « active », for the back office."""
    if not account_id:
        return "not_opened"
    return "active" if transfers_active else "incomplete"

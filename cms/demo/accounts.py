"""Demo accounts, all with the password `demo`: a platform admin, one account per organiser
with page permissions on its own part of the tree, and one owner per vendor. Groups and
memberships go through `vendors.services`, as for real members."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from wagtail.users.models import UserProfile

from markets.services import organiser_member_add
from vendors.models import VendorMembership
from vendors.services import vendor_member_add

from .builder import DemoResult
from .data import ORGANISERS

DEMO_PASSWORD = "demo"  # noqa: S105 - public demo accounts, created only in DEBUG or on demand


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    created: bool


@transaction.atomic
def create_demo_accounts(result: DemoResult) -> list[DemoAccount]:
    """Accounts created once, with their memberships: an account that exists keeps its
    password, language, roles and memberships, whoever changed them."""
    accounts = _Accounts()
    accounts.user("admin", "administrateur de la plateforme", is_superuser=True)
    for data in ORGANISERS:
        organiser = result.organisers[data.slug]
        user, created = accounts.user(data.username, f"organisateur · {organiser.name}")
        if created:
            organiser_member_add(
                organiser=organiser, user=user, index_page=result.indexes[data.slug]
            )
    for vendor in result.vendors.values():
        user, created = accounts.user(f"vendeur-{vendor.slug}", f"exposant · {vendor.name}")
        if created:
            vendor_member_add(vendor=vendor, user=user, role=VendorMembership.Role.OWNER)
    return accounts.listed


class _Accounts:
    """Creates users once, with the demo password and the back office in French."""

    def __init__(self):
        self.listed: list[DemoAccount] = []
        self._password_hash = ""

    def user(self, username: str, role: str, *, is_superuser: bool = False):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.org",
                "is_staff": is_superuser,
                "is_superuser": is_superuser,
            },
        )
        if created:
            # One hash for all: the password is public anyway, and hashing once keeps the
            # demo fast.
            self._password_hash = self._password_hash or make_password(DEMO_PASSWORD)
            user.password = self._password_hash
            user.save(update_fields=["password"])
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = "fr"
            profile.save(update_fields=["preferred_language"])
        self.listed.append(DemoAccount(username=username, role=role, created=created))
        return user, created

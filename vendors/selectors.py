"""Who may see what: the vendors and markets a user works for."""

from django.db.models import F

from .models import ApiToken, Vendor, VendorMembership


def vendor_for_user(user) -> Vendor | None:
    """The vendor a user works for (the first one if, rarely, several), with the user's
    role in it as `member_role`."""
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_vendor_for_user", ...)
    if cache is ...:
        cache = (
            Vendor.objects.filter(memberships__user=user)
            .annotate(member_role=F("memberships__role"))
            .order_by("memberships__pk")
            .first()
        )
        user._vendor_for_user = cache
    return cache


def vendor_ids_for_member(user) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(Vendor.objects.filter(memberships__user=user).values_list("pk", flat=True))


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The live token whose secret this is, with its vendor; None if unknown or revoked."""
    if not secret or len(secret) > 200:
        return None
    return (
        ApiToken.objects.select_related("vendor")
        .filter(secret_hash=ApiToken.hash_secret(secret), revoked_at__isnull=True)
        .first()
    )


def vendor_owned_by(user) -> Vendor | None:
    """The vendor `user` is an owner of (its API tokens are the owner's to manage)."""
    vendor = vendor_for_user(user)
    if vendor is None or getattr(vendor, "member_role", None) != VendorMembership.Role.OWNER:
        return None
    return vendor


def api_tokens_of(vendor: Vendor):
    return ApiToken.objects.filter(vendor=vendor).select_related("created_by")

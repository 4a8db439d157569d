"""Who may see what: the vendors and markets a user works for."""


from .models import Vendor


def vendor_for_user(user) -> Vendor | None:
    """The vendor a user works for (the first one if, rarely, several)."""
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_vendor_for_user", ...)
    if cache is ...:
        cache = (
            Vendor.objects.filter(memberships__user=user).order_by("memberships__pk").first()
        )
        user._vendor_for_user = cache
    return cache


def vendor_ids_for_member(user) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(Vendor.objects.filter(memberships__user=user).values_list("pk", flat=True))

"""Vendor-owned objects in the back office: a vendor's members reach their own vendor's
objects; organisers those of the vendors taking part in their markets, within their group's
model permissions; platform admins everything."""

from django.db.models import Q

from vendors.permissions import READ_ACTIONS, ScopedPermissionPolicy

from .selectors import market_ids_for_organiser_user


class VendorOwnedPermissionPolicy(ScopedPermissionPolicy):
    """Model permissions (from the groups) narrowed to the user's own vendors.

    `vendor_path` is the lookup from the model to its vendor: "vendor" for a product,
    "" for the vendor itself.
    """

    def __init__(self, model, *, vendor_path: str = "vendor"):
        super().__init__(model)
        self.vendor_path = vendor_path

    def _lookup(self, suffix: str) -> str:
        return f"{self.vendor_path}__{suffix}" if self.vendor_path else suffix

    def scope_filter(self, user, actions) -> Q | None:
        """A filter on the model for the objects `user` may act on; None means all."""
        if user.is_active and user.is_superuser:
            return None
        allowed = Q(**{self._lookup("memberships__user"): user})
        market_ids = market_ids_for_organiser_user(user)
        if market_ids:
            # What an organiser may do there is bounded by its group's model permissions:
            # look at products, moderate vendors.
            allowed |= Q(**{self._lookup("participations__market_id__in"): market_ids})
        return allowed

    def user_has_permission(self, user, action):
        if action in READ_ACTIONS - {"view"}:
            action = "view"
        return user.is_active and super().user_has_permission(user, action)

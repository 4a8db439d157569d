"""« Ma boutique »: the vendors' menu in the back office. The group itself is built by the
shop (it holds products and orders); the apps that add an entry to it (« Ma structure »,
« Mes photos », payouts) register a `VendorMenuItem` under `MY_SHOP_MENU_HOOK`."""

from wagtail.admin.menu import MenuItem, SubmenuMenuItem

from .selectors import vendor_for_user

MY_SHOP_MENU_HOOK = "register_my_shop_menu_item"


def is_vendor_member(request) -> bool:
    return vendor_for_user(request.user) is not None


class VendorMenuItem(MenuItem):
    """An entry for the members of a vendor only."""

    def is_shown(self, request):
        return is_vendor_member(request)


class VendorSubmenuMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return is_vendor_member(request) and super().is_shown(request)


class AudienceMenuGroupMixin:
    """For a viewset group shown to one audience: its menu entry is a
    `submenu_item_class`, a SubmenuMenuItem whose `is_shown` asks who the user is."""

    submenu_item_class = SubmenuMenuItem

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        return self.submenu_item_class(item.label, item.menu, name=item.name,
                                       icon_name=item.icon_name, order=item.order)

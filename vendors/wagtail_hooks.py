"""Back-office wiring for vendors: « Ma structure » and « Mes photos » in « Ma boutique »."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry

from . import admin_views, token_views
from .menus import MY_SHOP_MENU_HOOK, VendorMenuItem, is_vendor_member
from .selectors import vendor_owned_by


@hooks.register("register_admin_urls")
def register_my_vendor_url():
    return [
        path("ma-structure/", admin_views.MyVendorView.as_view(), name="vendors_my_vendor"),
        path("ma-structure/api/", token_views.api_tokens_view, name="vendors_api_tokens"),
        path("ma-structure/api/<int:pk>/revoquer/", token_views.api_token_revoke_view,
             name="vendors_api_token_revoke"),
    ]


class VendorOwnerMenuItem(VendorMenuItem):
    def is_shown(self, request):
        return vendor_owned_by(request.user) is not None


@hooks.register(MY_SHOP_MENU_HOOK)
def register_api_tokens_menu_item():
    return VendorOwnerMenuItem(
        _("API access"), reverse("vendors_api_tokens"), icon_name="code", order=12,
        name="api-tokens",
    )


@hooks.register(MY_SHOP_MENU_HOOK)
def register_my_vendor_menu_item():
    return VendorMenuItem(
        _("My organisation"), reverse("vendors_my_vendor"), icon_name="home", order=10,
        name="my-vendor",
    )


@hooks.register(MY_SHOP_MENU_HOOK)
def register_my_photos_menu_item():
    return VendorMenuItem(
        _("My photos"), reverse("wagtailimages:index"), icon_name="image", order=3,
        name="my-photos",
    )


@hooks.register("construct_main_menu")
def hide_the_image_library_from_vendors(request, menu_items):
    """A vendor reaches its photos from « Ma boutique » (its own collection only), so the
    library is not offered twice; organisers and platform admins keep it."""
    user = request.user
    if user.is_superuser or user.organiser_memberships.exists() or not is_vendor_member(request):
        return
    menu_items[:] = [item for item in menu_items if item.name != "images"]


PLATFORM_ADMIN_REPORTS = {"site-history", "page-types-usage"}


@hooks.register("construct_reports_menu")
def hide_platform_reports(request, menu_items):
    """The reports that read across the platform are for platform admins only
    (`config.middleware.PlatformAdminOnlyViewsMiddleware` refuses them to others)."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name not in PLATFORM_ADMIN_REPORTS]


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """The admin API's images (listing and detail): those the user may choose, its own
    collection's for a vendor, never another vendor's photos."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(get_image_model())
        choosable = policy.instances_user_has_any_permission_for(
            self.request.user, ["choose", "change"])
        return super().get_queryset().filter(pk__in=choosable.values("pk"))


@hooks.register("construct_admin_api", order=100)
def scope_the_images_api(router):
    """Replaces Wagtail's own images endpoint (registered with the default order)."""
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)

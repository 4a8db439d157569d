"""« Marchés »: the organisers' menu in the back office. Apps above `markets` add their
entries (payouts, the vendors' products) by registering a menu item under
`MARKETS_MENU_HOOK`."""

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.admin.menu import LinkMenuItemComponent, MenuItem, SubmenuMenuItem
from wagtail.models import get_page_models

from .selectors import is_organiser, organisers_for_user

MARKETS_MENU_HOOK = "register_markets_menu_item"


class OrganiserMenuItem(MenuItem):
    """An entry for organisers and platform admins."""

    def is_shown(self, request):
        return is_organiser(request.user)


class OrganiserSubmenuMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return is_organiser(request.user) and super().is_shown(request)


def _space_url(user) -> str:
    """The organiser's space (its market index) in the page explorer; the whole tree for a
    platform admin or an organiser with several spaces. Asked by two menu entries on every
    admin page, so kept on the user for the request."""
    cached = getattr(user, "_space_url", None)
    if cached is not None:
        return cached
    url = reverse("wagtailadmin_explore_root")
    if not user.is_superuser:
        index_ids = list(
            organisers_for_user(user).exclude(market_indexes=None)
            .values_list("market_indexes", flat=True)[:2]
        )
        if len(index_ids) == 1:
            url = reverse("wagtailadmin_explore", args=[index_ids[0]])
    user._space_url = url
    return url


class OrganiserPagesMenuItem(OrganiserMenuItem):
    """The pages of one kind (markets, projects) in the organiser's own space of the page
    tree. The record (`Market`, `SolidarityProject`) is given; the explorer filters on the
    page types that present it."""

    def __init__(self, label, *, record, **kwargs):
        super().__init__(label, "", **kwargs)
        self.record = record

    def render_component(self, request):
        page_types = [
            model for model in get_page_models()
            if issubclass(model, self.record) and model.is_creatable
        ]
        query = urlencode(
            [("content_type", ContentType.objects.get_for_model(model).pk)
             for model in page_types]
        )
        return LinkMenuItemComponent(
            self.name, self.label, f"{_space_url(request.user)}?{query}",
            icon_name=self.icon_name, classname=self.classname, attrs=self.attrs,
        )

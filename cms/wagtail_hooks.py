"""The organiser's pages in the back office: the next edition of a market, and the
explorer of its space with the markets' dates and status."""

from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from markets.models import Market

from .edition_views import market_next_edition_view
from .explorer import SpacePageViewSet


class NextEditionButton(PageMenuItem):
    label = _("Prepare the next edition")
    icon_name = "copy"
    url_name = "cms_market_next_edition"

    def is_shown(self, user):
        return (issubclass(self.page.specific_class or object, Market)
                and self.page.permissions_for_user(user).can_edit())


@hooks.register("register_admin_urls")
def register_next_edition_url():
    return [path("marches/<int:pk>/prochaine-edition/", market_next_edition_view,
                 name="cms_market_next_edition")]


@hooks.register("register_page_listing_more_buttons")
def next_edition_listing_button(page, user, next_url=None):
    yield NextEditionButton(page=page, priority=21)


@hooks.register("register_page_header_buttons")
def next_edition_header_button(page, user, view_name, next_url=None):
    yield NextEditionButton(page=page, priority=31)


@hooks.register("before_copy_page")
def copy_a_market_as_its_next_edition(request, page):
    """Wagtail's copy would keep last year's dates and the vendors' places: a market is
    copied into its next edition instead."""
    if issubclass(page.specific_class or object, Market):
        return redirect("cms_market_next_edition", page.pk)
    return None


@hooks.register("register_admin_viewset")
def register_space_pages():
    return SpacePageViewSet()

"""Wagtail views that take page ids without asking whether the user may see the pages:
the page chooser's browsing (`choose-page/<id>/`) and the move confirmation (which checks
permissions on POST only). Both show page titles, drafts' included."""

from django.http import Http404
from wagtail.models import Page

from config.middleware import ViewGuardMiddleware

from .selectors import pages_in_reach

PAGE_ID_ARGUMENTS = {
    "wagtailadmin_choose_page_child": ("parent_page_id",),
    "wagtailadmin_pages:move_confirm": ("page_to_move_id", "destination_id"),
}


class PageReachMiddleware(ViewGuardMiddleware):
    """Answer 404 when one of those pages lies outside the pages in the user's reach."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        arguments = PAGE_ID_ARGUMENTS.get(match.view_name if match else "")
        user = getattr(request, "user", None)
        if not arguments or not (user and user.is_authenticated):
            return None
        reach = pages_in_reach(user)
        if reach is None:
            return None
        page_ids = {int(view_kwargs[name]) for name in arguments if name in view_kwargs}
        if Page.objects.filter(reach, pk__in=page_ids).count() != len(page_ids):
            raise Http404
        return None

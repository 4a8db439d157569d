"""Site-wide middleware."""

from django.http import Http404
from django.urls import reverse


class AdminContentSecurityPolicyMiddleware:
    """Relax the Content-Security-Policy for the Wagtail admin only.

    Wagtail's admin templates still carry a few inline scripts without nonces; the public
    site keeps `script-src 'self'`. Placed after `csp.middleware.CSPMiddleware` so that it
    marks the response before the policy header is built.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if request.path.startswith(self.admin_prefix):
            update = dict(getattr(response, "_csp_update", None) or {})
            update["script-src"] = [*update.get("script-src", []), "'unsafe-inline'"]
            response._csp_update = update
        return response


# Wagtail reports that read across the whole platform: the site history lists every
# object's activity to anyone with a model permission (a vendor would read the others'
# products), the page types report names the latest page of each type. Platform admins
# only; the page reports scoped by page permissions (locked, aging, workflow) stay open.
PLATFORM_ADMIN_ONLY_VIEWS = frozenset({
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
    # Moderation tasks are set up by platform admins; the chooser names them to anyone.
    "wagtailadmin_workflows:task_chooser",
    "wagtailadmin_workflows:task_chooser_results",
    "wagtailadmin_workflows:task_chooser_create",
    "wagtailadmin_workflows:task_chosen",
})


class ViewGuardMiddleware:
    """A middleware that only looks at the view a request resolved to (`process_view`):
    for admin views of Wagtail's that cannot be scoped otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


class PlatformAdminOnlyViewsMiddleware(ViewGuardMiddleware):
    """Answer 404 to anyone but a platform admin on the views above."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match and match.view_name in PLATFORM_ADMIN_ONLY_VIEWS:
            user = getattr(request, "user", None)
            if not (user and user.is_active and user.is_superuser):
                raise Http404
        return None

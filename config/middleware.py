"""Site-wide middleware."""

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

"""Small HTTP helpers shared by the back-office actions."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request, fallback: str):
    """Back to the page the action was posted from (`next`, on this site only), else to
    `fallback` (a URL name or path)."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(next_url)
    return redirect(fallback)

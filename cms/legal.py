"""The legal pages every page's footer links to: the legal notice, the privacy page and the
terms of sale, as chosen in the site's shop settings.

Their addresses are cached per host, so the footer costs a page no query. Filling the
cache takes one query (the settings with their three pages), plus Wagtail's own lookup of
the site where the view has not made it yet. The cache is a copy of what editors chose, so
it is dropped whenever that changes: a linked page published, unpublished, moved, renamed
or deleted, the settings or a site saved. Those are signals rather than services because
pages change through Wagtail's own views, the shell and the demo loader alike.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

CACHE_KEY = "cms-legal-links"
CACHE_SECONDS = 60 * 60
# Hosts cached at most: the site's own names; a stray Host header cannot fill the cache.
MAX_HOSTS = 20

ROLES = (
    ("legal_notice_page", _("Legal notice")),
    ("privacy_page", _("Privacy")),
    ("terms_page", _("Terms of sale")),
)


@dataclass(frozen=True)
class LegalLink:
    label: str
    url: str


def _addresses(request) -> dict:
    """{"urls": {role: address}, "ids": [page ids]} of the live pages chosen for the
    request's site."""
    from cms.models import ShopSettings

    site = Site.find_for_request(request)
    settings = (
        ShopSettings.objects.filter(site=site).select_related(*(role for role, _ in ROLES))
        .first() if site else None
    )
    urls, ids = {}, []
    for role, _label in ROLES:
        page = getattr(settings, role, None)
        url = page.get_url(request) if page is not None and page.live else None
        if url:
            urls[role] = url
            ids.append(page.pk)
    return {"urls": urls, "ids": ids}


def legal_links(request) -> list[LegalLink]:
    """The footer's links, in the reader's language; none for a page not chosen."""
    if request is None:
        return []
    host = request.get_host()
    cached = cache.get(CACHE_KEY) or {}
    entry = cached.get(host)
    if entry is None:
        entry = _addresses(request)
        if len(cached) < MAX_HOSTS:
            cache.set(CACHE_KEY, {**cached, host: entry}, CACHE_SECONDS)
    return [LegalLink(str(label), entry["urls"][role])
            for role, label in ROLES if role in entry["urls"]]


def legal_links_forget(*, page_id: int | None = None) -> None:
    """Drop the cached addresses: all of them, or only if `page_id` is one of the pages."""
    if page_id is not None:
        cached = cache.get(CACHE_KEY) or {}
        if not any(page_id in entry["ids"] for entry in cached.values()):
            return
    cache.delete(CACHE_KEY)


def _page_changed(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        legal_links_forget(page_id=instance.pk)


def _settings_changed(sender, instance, created=False, **kwargs) -> None:
    # A site's settings row is created on first read (`for_request`), with nothing chosen:
    # the links are then what they were without it.
    if created and not any(getattr(instance, f"{role}_id") for role, _label in ROLES):
        return
    legal_links_forget()


def _site_changed(sender, instance, **kwargs) -> None:
    legal_links_forget()


def connect_signals() -> None:
    from cms.models import ShopSettings

    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move,
                   post_delete):
        signal.connect(_page_changed, dispatch_uid=f"cms-legal-links-{id(signal)}")
    post_save.connect(_settings_changed, sender=ShopSettings,
                      dispatch_uid="cms-legal-links-settings")
    post_save.connect(_site_changed, sender=Site, dispatch_uid="cms-legal-links-site-saved")
    post_delete.connect(_site_changed, sender=Site, dispatch_uid="cms-legal-links-site-gone")

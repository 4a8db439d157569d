"""Page writes for generated data: find a child page by slug, create it when missing (the
demo) or create or update it (the benchmark's pages), and publish a revision only when
something changed, so a re-run adds no revisions."""

from datetime import datetime, timedelta

from django.utils import timezone
from wagtail.models import Page, Revision


def upsert_child_page(parent: Page, model: type[Page], *, slug: str, **fields) -> tuple[Page, bool]:
    """The `model` child of `parent` with this slug, its fields set. Returns (page, changed).

    A new page is saved in the tree at once (so rows can point to it); an existing one is
    only changed in memory: `publish` stores the change as a revision, as the editor would.
    """
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        return page, True
    changed = False
    for name, value in fields.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    return page, changed


def child_page_get_or_create(
    parent: Page, model: type[Page], *, slug: str, **fields
) -> tuple[Page, bool]:
    """The `model` child of `parent` with this slug as it is, or a new one with `fields`
    saved in the tree, for the caller to complete and `publish`. Returns (page, created)."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is not None:
        return page, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    return page, True


def edited_by_someone(page: Page) -> bool:
    """Whether a person saved a revision of `page` (generated data saves its own without a
    user): from then on the page is theirs and generated data leaves it alone."""
    return Revision.page_revisions.filter(
        object_id=str(page.pk), user__isnull=False
    ).exists()


def publish(page: Page) -> Page:
    """Publish the page's current state as a new revision; returns the fresh live page."""
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def day_at(days: int, hour: int, *, now: datetime | None = None) -> datetime:
    """`hour` o'clock, local time, `days` days from today: stable across a day's re-runs."""
    today = timezone.localtime(now or timezone.now()).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return (today + timedelta(days=days)).replace(hour=hour)

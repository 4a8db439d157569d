"""The market page form: what an organiser may not undo once shoppers depend on it."""

from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from .models import SolidarityProject


def _in_use(instance) -> bool:
    """Whether rows elsewhere (orders, checkouts) still point at `instance`."""
    collector = Collector(using=router.db_for_write(type(instance)))
    try:
        collector.collect([instance])
    except (ProtectedError, RestrictedError):
        return True
    return False


class MarketPageForm(WagtailAdminPageForm):
    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        space = parent_page or (self.instance.get_parent() if self.instance.pk else None)
        # A market supports the projects of its own organiser: those of its space.
        projects = self.fields.get("solidarity_projects")
        if projects is not None and space is not None:
            projects.queryset = SolidarityProject.objects.child_of(space).order_by("title")

    def clean(self):
        cleaned = super().clean()
        points = self.formsets.get("pickup_points")
        for form in points.deleted_forms if points is not None else ():
            point = form.instance
            if point.pk and _in_use(point):
                self.add_error(None, _(
                    "« %(name)s » is where orders are to be collected: it stays on the "
                    "market. Change its opening hours to say it is closed instead."
                ) % {"name": point.name})
        return cleaned

"""The market page form: what an organiser may not undo once shoppers depend on it."""

from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from vendors.models import Vendor

from .models import MarketParticipation, SolidarityProject


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
        self._check_participations()
        points = self.formsets.get("pickup_points")
        for form in points.deleted_forms if points is not None else ():
            point = form.instance
            if point.pk and _in_use(point):
                self.add_error(None, _(
                    "« %(name)s » is where orders are to be collected: it stays on the "
                    "market. Change its opening hours to say it is closed instead."
                ) % {"name": point.name})
        return cleaned

    def _check_participations(self) -> None:
        """A vendor joins a market by applying or by accepting an invitation: a vendor
        added here is invited (and told once the page is published), and a place is
        decided in « Candidatures », where the vendor is told, never in this form."""
        participations = self.formsets.get("participations")
        for form in participations.forms if participations is not None else ():
            place = form.instance
            if not place.pk:
                place.state, place.invited_at = MarketParticipation.State.INVITED, None
                continue
            if place.state == MarketParticipation.State.INVITED and place.invited_at is None:
                continue  # an invitation of this draft, not sent yet
            if form in participations.deleted_forms or "vendor" in form.changed_data:
                message = _("%(vendor)s's place is decided in « Applications », where the "
                            "vendor is told: it stays here.") % {
                                "vendor": Vendor.objects.get(pk=form.initial["vendor"])}
                form.add_error(None, message)
                self.add_error(None, message)

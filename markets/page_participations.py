"""The vendors on the market page: their places are shown there, and decided elsewhere
(applications, invitations, suspensions), outside the page's revisions."""

from wagtail.admin.panels import Panel


class ParticipationStatePanel(Panel):
    """The state of a vendor's place, read-only in the market page's « Exposants »: the
    organiser decides in « Candidatures » (the decision is e-mailed there), the vendor
    answers an invitation, and a vendor added here is invited."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "markets/admin/participation_state_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["participation"] = self.instance
            return context


def participations_as_decided(in_revision, in_database) -> list:
    """The places of a market page restored from a revision, as they are now: a place
    decided since keeps its decision, a vendor who applied since keeps its application.
    Only the invitations not yet sent, and each vendor's commission rate, are the page's own
    (added, removed or changed in a draft)."""
    decided = {
        participation.pk: participation for participation in in_database
        if participation.state != participation.State.INVITED
        or participation.invited_at is not None
    }
    kept = []
    for participation in in_revision:
        current = decided.pop(participation.pk, None)
        if current is not None:
            # The vendor's own rate is the page's to set, whatever was decided since.
            current.commission_bps = participation.commission_bps
        kept.append(current or participation)
    return [*kept, *decided.values()]

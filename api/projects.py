"""Solidarity projects and the money raised for them."""

from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja.errors import HttpError

from shop.orders.ledger import project_amount_raised_cents, with_amounts_raised

from . import presenters
from .schemas import MAX_ID, Error, ProjectDetailOut, ProjectOut
from .selectors import live_projects

router = Router(tags=["solidarity projects"])


@router.get("", response=list[ProjectOut], summary="Solidarity projects, by title")
def project_list(request):
    return [
        presenters.project_payload(
            project, request, amount_raised_cents=project.amount_raised_cents
        )
        for project in with_amounts_raised(live_projects())
    ]


@router.get("/{project_id}", response={200: ProjectDetailOut, 404: Error}, summary="A project")
def project_detail(request, project_id: int = Path(..., ge=1, le=MAX_ID)):
    project = live_projects().filter(pk=project_id).first()
    if project is None:
        raise HttpError(404, _("Solidarity project not found."))
    return {
        **presenters.project_payload(
            project, request, amount_raised_cents=project_amount_raised_cents(project)
        ),
        "story": presenters.rich_text(project.story),
    }

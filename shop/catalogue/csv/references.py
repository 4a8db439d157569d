"""Cells that name something else: one of the vendor's products (id, reference), a
solidarity project, photos in the ZIP file."""

import re

from django.utils.translation import gettext_lazy as _

from markets.models import SolidarityProject
from shop.catalogue.models import Product

from .columns import CellError, normalise, shown
from .photos import photo_name

REFERENCE_MAX_LENGTH = Product._meta.get_field("reference").max_length
# Written for « no fixed project: the shopper chooses »; an empty cell keeps the product's.
NO_PROJECT_WORDS = {"aucun", "aucune", "none", "au choix", "au choix de l'acheteur"}
PHOTO_NAME_MAX_LENGTH = 100
PHOTO_SEPARATORS = re.compile(r"[|;\n]")


def id_parse(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise CellError(
            _("Line %(line)s, %(column)s: “%(value)s” is not a product id."), value=shown(value)
        )
    return int(value)


def reference_parse(value: str) -> str:
    reference = " ".join(value.split())
    if len(reference) > REFERENCE_MAX_LENGTH:
        raise CellError(
            _("Line %(line)s, %(column)s: the reference is longer than %(max)s characters."),
            max=REFERENCE_MAX_LENGTH,
        )
    return reference


def projects_index() -> dict[str, list[SolidarityProject]]:
    """The projects a vendor may choose (the live ones, as in the product form), under their
    slug and title, normalised."""
    index: dict[str, list[SolidarityProject]] = {}
    for project in SolidarityProject.objects.live().only("pk", "title", "slug"):
        for key in {normalise(project.slug), normalise(project.title)}:
            index.setdefault(key, []).append(project)
    return index


def project_parse(value: str, projects: dict[str, list[SolidarityProject]]):
    """A project, None for « aucun » (the shopper chooses), or "" for an empty cell."""
    if not value:
        return ""
    key = normalise(value)
    if key in NO_PROJECT_WORDS:
        return None
    matches = projects.get(key, [])
    if len(matches) != 1:
        message = (
            _("Line %(line)s, %(column)s: unknown solidarity project “%(value)s” (write its "
              "name, or « aucun » to let the shopper choose).")
            if not matches else
            _("Line %(line)s, %(column)s: “%(value)s” names several projects; use the "
              "project's identifier (slug) instead.")
        )
        raise CellError(message, value=shown(value))
    return matches[0]


def photos_parse(value: str) -> tuple[str, ...]:
    """File names separated by « | », « ; » or line breaks (folders do not count); links are
    refused, since the server does not fetch images from other sites."""
    cells = [name.strip() for name in PHOTO_SEPARATORS.split(value) if name.strip()]
    for name in cells:
        if "://" in name or name.casefold().startswith(("www.", "http:", "https:")):
            raise CellError(
                _("Line %(line)s, %(column)s: “%(value)s” is a link; only the names of "
                  "photos sent in the ZIP file are accepted."),
                value=shown(name),
            )
    names = tuple(photo_name(name) for name in cells)
    for name in names:
        if len(name) > PHOTO_NAME_MAX_LENGTH:
            raise CellError(
                _("Line %(line)s, %(column)s: the photo name “%(value)s” is longer than "
                  "%(max)s characters."),
                value=shown(name), max=PHOTO_NAME_MAX_LENGTH,
            )
    return names

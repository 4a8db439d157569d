"""Builds the demo: organisers and their page trees, markets, projects, vendors, products.

Every object is keyed on a slug (pages on their slug under their parent) and created only
when missing, with its contents (a vendor with its catalogue, a market with its vendors,
pick-up points and projects) and its images. What exists is left as it is, whoever made it:
a second run restocks nothing and undoes no one's change or removal. The one exception is
the dates of the demo's own markets, moved to follow today while nobody has edited them
(`market_pages`).
"""

from datetime import datetime

from django.db import transaction
from wagtail.models import Site

from cms.models import MarketIndexPage, SolidarityProjectPage
from markets.models import Organiser
from shop.models import Category
from vendors.models import Vendor
from vendors.services import vendor_workspace_ensure

from .catalogue import build_catalogue
from .data import HOME_INTRO, MARKETS, ORGANISERS, PROJECTS, VendorData
from .legal import build_legal_pages
from .market_pages import build_market
from .pages import child_page_get_or_create, edited_by_someone, publish
from .result import DemoResult
from .vendors import VENDORS

__all__ = ["DemoResult", "build_demo"]


@transaction.atomic
def build_demo(*, now: datetime | None = None) -> DemoResult:
    home = Site.objects.get(is_default_site=True).root_page.specific
    if not home.intro and not edited_by_someone(home):
        home.intro = HOME_INTRO
        home = publish(home)
    result = DemoResult(home=home)
    build_legal_pages(home)
    _build_organisers(result)
    _build_projects(result)
    _build_vendors(result)
    for market in MARKETS:
        build_market(result, market, now=now)
    return result


def _build_organisers(result: DemoResult) -> None:
    for data in ORGANISERS:
        organiser, created = Organiser.objects.get_or_create(
            slug=data.slug,
            defaults={
                "name": data.name, "territory": data.territory,
                "contact_email": data.contact_email,
            },
        )
        index, index_created = child_page_get_or_create(
            result.home, MarketIndexPage, slug=data.index_slug,
            title=data.index_title, organiser=organiser, intro=data.intro,
        )
        result.organisers[data.slug] = organiser
        result.indexes[data.slug] = publish(index) if index_created else index
        if created:
            organiser.logo = result.logo(
                organiser.name, data.slug, result.organiser_collection(data.slug))
            organiser.save(update_fields=["logo"])


def _build_projects(result: DemoResult) -> None:
    for data in PROJECTS:
        project, created = child_page_get_or_create(
            result.indexes[data.organiser], SolidarityProjectPage, slug=data.slug,
            title=data.title, beneficiary=data.beneficiary, summary=data.summary,
            story=data.story, goal_cents=data.goal_cents,
        )
        if created:
            project.image = result.illustration(
                result.organiser_collection(data.organiser), title=data.title,
                label=data.beneficiary, family="jardin", file_name=f"projet-{data.slug}.png",
            )
            project = publish(project)
        result.projects[data.slug] = project


def _build_vendors(result: DemoResult) -> None:
    categories = {category.slug: category for category in Category.objects.select_related("parent")}
    for data in VENDORS:
        vendor, created = Vendor.objects.get_or_create(
            slug=data.slug, defaults=_vendor_fields(result, data)
        )
        result.vendors[data.slug] = vendor
        if not created:
            continue
        vendor_workspace_ensure(vendor=vendor)  # its own image collection
        vendor.logo = result.logo(vendor.name, vendor.slug, vendor.collection)
        vendor.save(update_fields=["logo"])
        build_catalogue(result, vendor, categories)


def _vendor_fields(result: DemoResult, data: VendorData) -> dict:
    return {
        "name": data.name, "legal_form": data.legal_form, "siret": data.siret,
        "rna": data.rna, "is_professional": data.is_professional,
        "description": data.description, "email": data.email, "phone": data.phone,
        "website": data.website, "address": data.address, "postcode": data.postcode,
        "city": data.city, "status": data.status,
        "default_solidarity_bps": data.default_solidarity_bps,
        "default_solidarity_project": result.projects.get(data.default_project),
        "ships": data.ships, "shipping_fee_cents": data.shipping_fee_cents,
        "vat_liable": bool(data.vat_number), "vat_number": data.vat_number,
    }

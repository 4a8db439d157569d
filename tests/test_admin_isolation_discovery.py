"""Tenant isolation of the back office, found rather than listed: every admin URL that takes
an object id is discovered from the URL resolver, mapped to the model its id names, and asked
by one tenant for another tenant's objects, so that a new admin screen cannot forget its scope.

A tenant is an organiser (its space in the page tree, its markets' objects, the vendors taking
part in them) or a vendor (its own objects); `audience` says which tenants may see an object.
Only GETs are sent. A 2xx that shows the object, or a redirect out of the admin, "reaches" it;
4xx and redirects to the dashboard, the login page or the actor's own space are refusals (see
`reached`). A pattern no rule maps to a model fails the test until someone classifies it.
"""

import json
import re
from contextlib import suppress
from dataclasses import dataclass, field
from fnmatch import fnmatch
from html import escape
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db.models import Q
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.admin.viewsets import viewsets
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    Page,
    Site,
    Task,
    UploadedFile,
    Workflow,
    WorkflowState,
)

from cms.models import MarketIndexPage
from markets.models import (
    Market,
    MarketParticipation,
    Organiser,
    OrganiserMembership,
    PickupPoint,
)
from markets.pickup import PickupSlot
from markets.selectors import organisers_by_market
from markets.services import organiser_member_add
from outbox.models import OutboxMessage
from payments.models import Transfer
from payments.transfers import transfers_plan
from reports.exports.services import export_build, export_request
from reports.models import ReportExport
from shop.donations.photos import photos_store
from shop.models import DonatedObject, Order, Product
from tests.factories import (
    ImageFactory,
    MarketIndexPageFactory,
    MarketPageFactory,
    OrganiserFactory,
    ParticipationFactory,
    PickupPointFactory,
    PickupSlotFactory,
    ProductFactory,
    ProductImageFactory,
    SolidarityProjectPageFactory,
    UserFactory,
    VendorFactory,
    home_page,
    paid_order,
)
from vendors.models import ApiToken, Vendor, VendorMembership
from vendors.services import api_token_create, vendor_member_add

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()

# (actor, other): the actor asks for the objects only the other may see.
PAIRS = [
    ("organiser Alpha", "organiser Bravo"),
    ("organiser Bravo", "organiser Alpha"),
    ("vendor Charlie", "vendor Echo"),  # vendors of different organisers
    ("vendor Echo", "vendor Charlie"),
    ("vendor Charlie", "vendor Delta"),  # vendors of the same organiser
    ("vendor Delta", "vendor Charlie"),
    ("vendor Charlie", "organiser Bravo"),  # a vendor, and an organiser it does not sell for
]


# --- The world: two organisers, two vendors each -------------------------------------------


@dataclass
class Actor:
    label: str
    user: object
    key: str  # "organiser:<pk>" or "vendor:<pk>", as in `audience`
    space_page_id: int  # where the actor may move a page to: its index, or the home page
    own: tuple[str, object]  # a URL of one of its own objects, and the object: the control


def _upload_of(user) -> None:
    """A photo sent through the multiple uploader, waiting for its title."""
    UploadedFile.objects.create(file=ContentFile(b"pending upload", name="envoi.png"),
                                uploaded_by_user=user,
                                for_content_type=ContentType.objects.get_for_model(Image))


def _organiser(code: str, vendors: tuple[str, str]) -> list[Actor]:
    organiser = OrganiserFactory(name=f"Réseau {code}", slug=f"reseau-{code.lower()}")
    index = MarketIndexPageFactory(organiser=organiser, title=f"Marchés {code}")
    user = UserFactory(username=f"orga-{code.lower()}")
    organiser_member_add(organiser=organiser, user=user, index_page=index)
    project = SolidarityProjectPageFactory(parent=index, title=f"Projet {code}")
    market = MarketPageFactory(parent=index, title=f"Marché {code}")
    market.solidarity_projects.add(project)
    market.save()
    draft = MarketPageFactory(parent=index, title=f"Brouillon {code}", live=False)
    point = PickupPointFactory(market=market, name=f"Halle {code}")
    PickupSlotFactory(point=point)
    collection = GroupCollectionPermission.objects.get(
        group__name=f"Organisateur · {organiser.slug}", permission__codename="add_image"
    ).collection
    ImageFactory(title=f"Affiche {code}", collection=collection)
    _upload_of(user)
    for page in (index, project, market, draft):
        page.save_revision(user=user, log_action=True)
        EditingSession.objects.create(
            user=user, content_type=ContentType.objects.get_for_model(Page),
            object_id=str(page.pk), last_seen_at=timezone.now())
    workflow = draft.get_workflow()
    if workflow is not None:
        workflow.start(draft, user)
    export = export_request(user=user, market=market, kind=ReportExport.Kind.PROJECT_STATEMENT,
                            format=ReportExport.Format.XLSX)
    export_build(export_id=export.pk)
    own = (reverse("wagtailadmin_pages:edit", args=[draft.pk]), draft)
    actors = [Actor(f"organiser {code}", user, f"organiser:{organiser.pk}", index.pk, own)]
    for name in vendors:
        actors.append(_vendor(name, market, point))
    return actors


def _vendor(name: str, market, point) -> Actor:
    vendor = VendorFactory(name=f"Ressourcerie {name}", slug=f"ressourcerie-{name.lower()}")
    user = UserFactory(username=f"vendeur-{name.lower()}")
    vendor_member_add(vendor=vendor, user=user)
    vendor.refresh_from_db()
    participation = ParticipationFactory(market=market, vendor=vendor)
    product = ProductFactory(vendor=vendor, title=f"Théière {name}", stock=3,
                             slug=f"theiere-{name.lower()}")
    image = ImageFactory(title=f"Photo {name}", collection=vendor.collection)
    ProductImageFactory(product=product, image=image)
    # What the back office would have logged, so that histories and reports have rows.
    for instance in (vendor, participation, product, image):
        log(instance, "wagtail.create", user=user)
    order = paid_order(product, market=market, pickup_point=point, last_name=f"Client-{name}")
    transfers_plan(checkout=order.checkout)
    export = export_request(user=user, market=market, kind=ReportExport.Kind.ORDERS,
                            format=ReportExport.Format.CSV, vendor=vendor)
    export_build(export_id=export.pk)
    _upload_of(user)
    _donation_to(vendor, project=market.solidarity_projects.first(), name=name)
    api_token_create(vendor=vendor, name=f"Caisse {name}", created_by=user)
    own = (reverse("wagtailsnippets_shop_product:edit", args=[product.pk]), product)
    return Actor(f"vendor {name}", user, f"vendor:{vendor.pk}", home_page().pk, own)


def _donation_to(vendor, *, project, name: str) -> None:
    """An object a donor offered the vendor, with its photo in the private storage."""
    from tests.shop.donations_helpers import photo_upload

    donation = DonatedObject.objects.create(
        vendor=vendor, project=project, donor_name=f"Donatrice {name}",
        donor_email=f"donatrice-{name.lower()}@example.org",
        description=f"Objet confié à {name}", condition_guess="good")
    photos_store(donation=donation, uploads=[photo_upload()])


def build_world() -> dict[str, Actor]:
    Redirect.objects.create(old_path="/ancien-marche", redirect_link="/")
    Document.objects.create(title="Charte de la plateforme",
                            file=ContentFile(b"charte", name="charte.txt"))
    actors = _organiser("Alpha", ("Charlie", "Delta")) + _organiser("Bravo", ("Echo", "Foxtrot"))
    return {actor.label: actor for actor in actors}


# --- Who may see what ------------------------------------------------------------------------


def tenants_of(user) -> set[str]:
    organisers = OrganiserMembership.objects.filter(user=user).values_list("organiser_id",
                                                                          flat=True)
    vendors = VendorMembership.objects.filter(user=user).values_list("vendor_id", flat=True)
    return {f"organiser:{pk}" for pk in organisers} | {f"vendor:{pk}" for pk in vendors}


def _organisers_of(market_ids) -> set[str]:
    markets = Market.objects.filter(pk__in=market_ids)
    return {f"organiser:{o.pk}" for o in organisers_by_market(markets).values() if o}


def _vendors_in(market_ids) -> set[str]:
    vendor_ids = MarketParticipation.objects.filter(market_id__in=market_ids).values_list(
        "vendor_id", flat=True)
    return {f"vendor:{pk}" for pk in vendor_ids}


def _page_audience(page) -> set[str]:
    index = MarketIndexPage.objects.ancestor_of(page, inclusive=True).first()
    if index is None:
        return set()
    # A market's vendors see its title, those of the projects it supports, and the
    # organiser's space above them (they go through it to choose a project).
    markets = Market.objects.filter(Q(pk=page.pk) | Q(solidarity_projects=page.pk)).values("pk")
    if page.pk == index.pk:
        markets = Market.objects.child_of(index).values("pk")
    return {f"organiser:{index.organiser_id}"} | _vendors_in(markets)


def _vendor_audience(vendor_id) -> set[str]:
    markets = MarketParticipation.objects.filter(vendor_id=vendor_id).values("market_id")
    return {f"vendor:{vendor_id}"} | _organisers_of(markets)


def _collection_audience(collection_id) -> set[str]:
    users = {
        user
        for permission in GroupCollectionPermission.objects.filter(collection_id=collection_id)
        for user in permission.group.user_set.all()
    }
    # A vendor's photos are its products': the organisers of its markets see them too.
    vendors = Vendor.objects.filter(collection_id=collection_id).values_list("pk", flat=True)
    return set().union(*map(tenants_of, users), *map(_vendor_audience, vendors))


AUDIENCE = {
    Organiser: lambda o: {f"organiser:{o.pk}"},
    Page: _page_audience,
    Collection: lambda c: _collection_audience(c.pk),
    Image: lambda i: _collection_audience(i.collection_id),
    UploadedFile: lambda u: tenants_of(u.uploaded_by_user),
    EditingSession: lambda s: tenants_of(s.user),
    Vendor: lambda v: _vendor_audience(v.pk),
    Product: lambda p: _vendor_audience(p.vendor_id),
    ApiToken: lambda t: {f"vendor:{t.vendor_id}"},
    MarketParticipation: lambda p: {f"vendor:{p.vendor_id}"} | _organisers_of([p.market_id]),
    PickupPoint: lambda p: _organisers_of([p.market_id]) | _vendors_in([p.market_id]),
    PickupSlot: lambda s: _organisers_of([s.point.market_id]),
    Order: lambda o: {f"vendor:{o.vendor_id}"} | _organisers_of([o.checkout.market_id]),
    Transfer: lambda t: _organisers_of([t.checkout.market_id])
    | ({f"vendor:{t.order.vendor_id}"} if t.order_id else set()),
    DonatedObject: lambda d: {f"vendor:{d.vendor_id}"},
    ReportExport: lambda e: _organisers_of([e.market_id])
    | ({f"vendor:{e.vendor_id}"} if e.vendor_id else set()),
}


def audience(obj) -> set[str]:
    """The tenants that may see `obj`: "organiser:<pk>" and "vendor:<pk>" keys."""
    for model, rule in AUDIENCE.items():
        if isinstance(obj, model):
            return rule(obj)
    raise AssertionError(f"no audience rule for {type(obj).__name__}")


def only_theirs(model, actor: Actor, other: Actor) -> list:
    """`model`'s objects the other tenant may see and the actor may not."""
    return [obj for obj in model._default_manager.all()
            if other.key in (seen := audience(obj)) and actor.key not in seen]


# --- The admin URLs and the model each one's id names -----------------------------------------


@dataclass(frozen=True)
class AdminPattern:
    name: str | None
    route: str
    args: tuple[str, ...]


def url_patterns() -> list[AdminPattern]:
    """Every URL pattern of the site, nested resolvers included."""

    def walk(resolver, route, namespace, args):
        for entry in resolver.url_patterns:
            entry_route = route + str(entry.pattern)
            entry_args = args + tuple(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                inner = ":".join(filter(None, [namespace, entry.namespace]))
                yield from walk(entry, entry_route, inner, entry_args)
            else:
                name = entry.name and ":".join(filter(None, [namespace, entry.name]))
                yield AdminPattern(name, entry_route, entry_args)

    return list(walk(get_resolver(), "", "", ()))


def admin_patterns() -> list[AdminPattern]:
    """Every pattern under /admin/ that takes an argument."""
    return [pattern for pattern in url_patterns()
            if pattern.route.startswith("admin/") and pattern.args]


def viewset_namespaces():
    """(URL namespace, model) of every registered viewset (Wagtail's page viewset has none)."""
    for viewset in viewsets.viewsets:
        if viewset.name and getattr(viewset, "model", None):
            yield viewset.url_namespace, viewset.model


def _revision(page, actor):
    return page.latest_revision_id


def _workflow_state(page, actor):
    state = WorkflowState.objects.for_instance(page).first()
    return state and state.pk


def _task_state(page, actor):
    state = page.current_workflow_task_state
    return state and state.pk


def _task(page, actor):
    task = page.current_workflow_task
    return task and task.pk


def _editing_session(page, actor):
    session = EditingSession.objects.filter(object_id=str(page.pk)).first()
    return session and session.pk


def _market_of_project(page, actor):
    market = Market.objects.filter(solidarity_projects=page.pk).order_by("pk").first()
    return market and market.pk


def _constant(value):
    return lambda obj, actor: value


@dataclass(frozen=True)
class Target:
    """What a pattern's id names. `fills` gives the pattern's other arguments, from the object
    and the actor. A platform target is for platform admins only: every tenant is refused."""

    model: type
    fills: dict = field(default_factory=dict)
    platform: bool = False


PAGE_TYPE = {"content_type_app_name": _constant("cms"),
             "content_type_model_name": _constant("marketpage")}
SETTINGS = {"app_name": _constant("cms"), "model_name": _constant("shopsettings")}

# Patterns whose arguments name no object: nothing to scope by id.
NO_OBJECT = [
    "wagtail_bulk_action",  # ids in the query string (tests/vendors/test_isolation_products.py)
    "wagtailadmin_pages:type_use*",  # a page type's usage, by content type
    "wagtailadmin_pages:choose_parent",  # by content type
    "wagtailadmin_tag_model_autocomplete",  # tags of a model
    "wagtailadmin_password_reset_confirm",  # a signed token
    "wagtailadmin_workflows:add_task",  # a task type
]

# Objects of no tenant that every admin user may pick. Documents are the platform's: no
# tenant may add one, and Wagtail gives every group with admin access `choose_document`.
SHARED = ["wagtaildocs_chooser:*", "wagtailadmin_api:documents:*"]


def targets() -> list[tuple[str, Target]]:
    """(name pattern, target), the first match wins."""
    rules = [
        ("wagtailadmin_pages:revisions_compare", Target(Page, {
            "revision_id_a": _constant("earliest"), "revision_id_b": _constant("latest")})),
        ("wagtailadmin_pages:revisions_*", Target(Page, {"revision_id": _revision})),
        ("wagtailadmin_pages:move_confirm", Target(Page, {
            "destination_id": lambda page, actor: actor.space_page_id})),
        *((name, Target(Page, {"action_name": _constant("approve"),
                               "task_state_id": _task_state}))
          for name in ("wagtailadmin_pages:workflow_action",
                       "wagtailadmin_pages:collect_workflow_action_data")),
        ("wagtailadmin_pages:workflow_preview", Target(Page, {"task_id": _task})),
        ("wagtailadmin_pages:workflow_history_detail", Target(Page, {
            "workflow_state_id": _workflow_state})),
        ("wagtailadmin_pages:add", Target(Page, PAGE_TYPE)),
        ("wagtailadmin_pages:preview_on_add", Target(Page, PAGE_TYPE)),
        ("wagtailadmin_pages:*", Target(Page)),
        ("wagtailadmin_explore*", Target(Page)),
        ("wagtailadmin_choose_page_child", Target(Page)),
        ("wagtailadmin_api:pages:action", Target(Page, {"action_name": _constant("copy")})),
        ("wagtailadmin_api:pages:*", Target(Page)),
        ("wagtailforms:*", Target(Page)),
        ("payments_connect:project_*", Target(Page)),
        ("payments_connect:organiser_*", Target(Organiser)),
        ("reports_market_dashboard", Target(Page)),
        ("wagtailadmin_workflows:remove", Target(Page, {
            "workflow_pk": lambda page, actor: Workflow.objects.order_by("pk").first().pk})),
        ("wagtailadmin_editing_sessions:ping", Target(Page, {
            "app_label": _constant("wagtailcore"), "model_name": _constant("page"),
            "session_id": _editing_session})),
        ("wagtailadmin_editing_sessions:release", Target(EditingSession)),
        ("wagtail*:*_upload*", Target(UploadedFile)),
        ("wagtailimages:preview", Target(Image, {"filter_spec": _constant("original")})),
        ("wagtailimages*:*", Target(Image)),
        ("wagtailadmin_api:images:*", Target(Image)),
        ("wagtailadmin_collections:*", Target(Collection)),
        ("shop_product_stock", Target(Product)),
        ("shop_donation_photo", Target(DonatedObject, {
            "photo_pk": lambda donation, actor: donation.photos.first().pk})),
        ("shop_donation*", Target(DonatedObject)),
        ("vendors_api_token_revoke", Target(ApiToken)),
        ("markets_invitation_answer", Target(MarketParticipation)),
        ("cms_market_next_edition", Target(Page)),
        ("markets_pickup_point_slots", Target(PickupPoint)),
        ("markets_pickup_slots_generate", Target(PickupPoint)),
        ("markets_pickup_slot_*", Target(PickupSlot)),
        ("markets_pickup_list", Target(Market)),

        ("reports_exports:download", Target(ReportExport)),
        ("reports_exports:statements", Target(Page)),
        ("reports_exports:vendor_statement", Target(MarketParticipation)),
        ("reports_exports:project_statement", Target(Page, {"market_id": _market_of_project})),
        # Reached by platform admins only.
        ("wagtailsettings:*", Target(Site, SETTINGS, platform=True)),
        ("wagtaildocs:*", Target(Document, platform=True)),
        ("wagtailadmin_workflows:*task*", Target(Task, platform=True)),
        ("wagtailadmin_workflows:*", Target(Workflow, platform=True)),
        ("wagtailredirects:*", Target(Redirect, platform=True)),
        ("outbox:*", Target(OutboxMessage, platform=True)),
        ("wagtailsites:*", Target(Site, platform=True)),
        ("wagtailusers_users:*", Target(get_user_model(), platform=True)),
        ("wagtailusers_groups:*", Target(Group, platform=True)),
    ]
    rules += [(f"{namespace}:*", Target(model)) for namespace, model in viewset_namespaces()]
    return rules


@dataclass(frozen=True)
class Check:
    pattern: AdminPattern
    target: Target
    id_arg: str | None  # None: a platform screen whose arguments are all filled


def classify(patterns: list[AdminPattern]) -> tuple[list[Check], list[str]]:
    """The checks to run, and the patterns no rule explains."""
    rules = targets()
    checks, unknown = [], []
    for pattern in patterns:
        name = pattern.name or ""
        if any(fnmatch(name, glob) for glob in NO_OBJECT + SHARED):
            continue
        target = next((target for glob, target in rules if fnmatch(name, glob)), None)
        free = [arg for arg in pattern.args if target and arg not in target.fills]
        if target is None or not pattern.name or len(free) > 1 or not (free or target.platform):
            unknown.append(f"/{pattern.route} ({pattern.name}, arguments {pattern.args})")
            continue
        checks.append(Check(pattern, target, free[0] if free else None))
    return checks, unknown


def url_for(check: Check, obj, actor: Actor) -> str | None:
    """The check's URL for `obj`, or None when `obj` has nothing to fill it with (a page
    without a workflow, say)."""
    kwargs = {}
    for arg in check.pattern.args:
        value = obj.pk if arg == check.id_arg else check.target.fills[arg](obj, actor)
        if value is None:
            return None
        kwargs[arg] = value
    return reverse(check.pattern.name, kwargs=kwargs)


def name_of(obj) -> str:
    for attribute in ("title", "name", "number", "username"):
        if isinstance(value := getattr(obj, attribute, None), str) and value:
            return value
    return str(obj)


def shows(body: bytes, name: str) -> bool:
    """Whether `name` is in the page, as text, HTML or JSON (which escapes accents)."""
    forms = {name, escape(name), json.dumps(name)[1:-1], json.dumps(escape(name))[1:-1]}
    return any(form.encode() in body for form in forms)


def _names_the_object(path: str, obj) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return obj is not None and str(obj.pk) in {str(value) for value in match.kwargs.values()}


def reached(client: Client, url: str, obj, *, platform: bool = False) -> str | None:
    """What the actor got of `obj` at `url`, or None when it was refused.

    A redirect is followed while it stays on the object (old URLs of a page's revisions
    lead to its history); a redirect anywhere else in the admin (the dashboard, the login
    page, a listing, the explorer of the actor's own space) is a refusal. A tenant's 200
    counts when it shows the object's name or serves its file: Wagtail's modals answer 200
    with nothing of a page to say that no confirmation is needed. A platform screen must
    refuse whatever it shows."""
    response, hops = client.get(url), []
    while response.status_code in (301, 302, 303, 307, 308) and len(hops) < 5:
        location = response["Location"]
        hops.append(location)
        path = urlsplit(location).path
        if urlsplit(location).netloc or not path.startswith("/admin/"):
            return f"{response.status_code} → {location}"
        if not _names_the_object(path, obj):
            return None
        response = client.get(location)
    via = "".join(f" → {hop}" for hop in hops)
    status = response.status_code
    if status >= 500:
        return f"{status}{via}: the view failed, isolation unknown"
    if not 200 <= status < 300:
        return None
    kind = response.get("Content-Type", "").split(";")[0]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("image/") or "attachment" in response.get("Content-Disposition", ""):
        return f"{status}{via} {kind}: serves the file"
    if obj is not None and shows(body, name_of(obj)):
        return f"{status}{via} {kind}: shows {name_of(obj)!r}"
    return f"{status}{via} {kind}" if platform else None


def client_for(actor: Actor) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(actor.user)
    return client


def _platform_samples(check: Check) -> list:
    if check.id_arg is None:
        return [None]
    return list(check.target.model._default_manager.order_by("-pk")[:2])


def _tenant_leaks(actors, checks, asked: set, pairs=PAIRS) -> list[str]:
    leaks = []
    for actor_label, other_label in pairs:
        actor, other = actors[actor_label], actors[other_label]
        client, theirs = client_for(actor), {}
        assert reached(client, *actor.own), f"{actor.label} does not reach its own object"
        for check in (check for check in checks if not check.target.platform):
            model = check.target.model
            if model not in theirs:
                theirs[model] = only_theirs(model, actor, other)
            for obj in theirs[model]:
                if (url := url_for(check, obj, actor)) is None:
                    continue
                asked.add(check.pattern)
                if what := reached(client, url, obj):
                    leaks.append(f"{actor.label} → {url} ({model.__name__} {name_of(obj)!r} "
                                 f"of {other.label}; {check.pattern.name}): {what}")
    return leaks


def _platform_leaks(actors, checks) -> list[str]:
    leaks = []
    for actor in actors.values():
        client = client_for(actor)
        for check in (check for check in checks if check.target.platform):
            for obj in _platform_samples(check):
                url = url_for(check, obj, actor)
                if what := reached(client, url, obj, platform=True):
                    leaks.append(f"{actor.label} → {url} (platform admins only: "
                                 f"{check.target.model.__name__}; {check.pattern.name}): {what}")
    return leaks


def test_no_tenant_reaches_another_tenants_object_by_id(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_isolation"  # so that the Connect screens answer
    actors = build_world()
    checks, unknown = classify(admin_patterns())

    asked = set()
    leaks = _tenant_leaks(actors, checks, asked) + _platform_leaks(actors, checks)

    never = sorted(f"/{check.pattern.route} ({check.pattern.name})" for check in checks
                   if not check.target.platform and check.pattern not in asked)
    assert not (unknown or never or leaks), "\n".join([
        "Admin URLs whose arguments no rule explains (classify them in targets()):", *unknown,
        "Admin URLs the world gave no object to ask for:", *never,
        "Objects reached by an actor that may not see them:", *leaks,
    ])


# --- Listings --------------------------------------------------------------------------------

NAMED = (Vendor, Product, Page, PickupPoint, Image, DonatedObject)


def _sidebar_urls(client: Client) -> set[str]:
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    urls, stack = set(), [json.loads(props)]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            urls.add(item.get("url"))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return {url for url in urls if isinstance(url, str) and url.startswith("/admin/")}


def listing_urls(client: Client) -> set[str]:
    """The actor's menus, every viewset's listing, the reports, Wagtail's libraries."""
    names = ["wagtailadmin_home", "wagtailadmin_explore_root", "wagtailimages:index",
             "wagtaildocs:index", "wagtailadmin_collections:index"]
    # The reports, and the admin API's listings that the choosers read.
    names += [pattern.name for pattern in url_patterns() if not pattern.args and (
        fnmatch(pattern.name or "", "wagtailadmin_reports:*[!s]")  # not the *_results
        or fnmatch(pattern.name or "", "wagtailadmin_api:*:listing"))]
    names += [f"{namespace}:{view}" for namespace, _ in viewset_namespaces()
              for view in ("index", "list", "choose")]
    urls = set()
    for name in names:
        with suppress(NoReverseMatch):
            urls.add(reverse(name))
    urls = {urlsplit(url)._replace(fragment="").geturl() for url in urls | _sidebar_urls(client)}
    return urls - {reverse("wagtailadmin_logout")}


def test_listings_never_name_another_tenants_objects():
    actors = build_world()
    label = {actor.key: actor.label for actor in actors.values()}
    named = [(obj, audience(obj)) for model in NAMED for obj in model._default_manager.all()]
    leaks, unseen = [], []
    for actor in actors.values():
        client = client_for(actor)
        own = name_of(actor.own[1])
        hidden = [(name_of(obj), type(obj).__name__, ", ".join(sorted(map(label.get, seen))))
                  for obj, seen in named if seen and actor.key not in seen]
        pages = [(url, client.get(url)) for url in sorted(listing_urls(client))]
        pages = [(url, response.content) for url, response in pages
                 if response.status_code == 200]
        leaks += [f"{actor.label} → {url}: shows {name!r} ({model} of {owners})"
                  for url, body in pages for name, model, owners in hidden if shows(body, name)]
        if not any(shows(body, own) for _, body in pages):
            unseen.append(f"{actor.label} never sees its own {own!r}: the check proves nothing")
    assert not (leaks or unseen), "\n".join(unseen + leaks)


# --- The demo, crawled as its organisers and vendors ------------------------------------------


def _demo_actors() -> dict[str, Actor]:
    """`orga` and `orga-2`, and for each a vendor that sells in its markets only."""
    from cms.demo.accounts import create_demo_accounts
    from cms.demo.builder import build_demo

    create_demo_accounts(build_demo())
    actors = {}
    for username in ("orga", "orga-2"):
        user = get_user_model().objects.get(username=username)
        organiser = OrganiserMembership.objects.get(user=user).organiser
        index = MarketIndexPage.objects.get(organiser=organiser)
        market = Market.objects.child_of(index).live().first()
        actors[username] = Actor(username, user, f"organiser:{organiser.pk}", index.pk,
                                 (reverse("wagtailadmin_pages:edit", args=[market.pk]), market))
        others = Market.objects.exclude(pk__in=Market.objects.child_of(index))
        # Preferably a vendor that sells for this organiser only; `only_theirs` leaves out
        # what a vendor shared by both may see anyway.
        sellers = Vendor.objects.filter(
            participations__market__in=Market.objects.child_of(index), products__isnull=False,
            memberships__isnull=False,
        ).distinct().order_by("pk")
        vendor = sellers.exclude(participations__market__in=others).first() or sellers.first()
        member = VendorMembership.objects.filter(vendor=vendor).select_related("user").first()
        product = vendor.products.order_by("pk").first()
        actors[f"vendor of {username}"] = Actor(
            f"vendor of {username}", member.user, f"vendor:{vendor.pk}", home_page().pk,
            (reverse("wagtailsnippets_shop_product:edit", args=[product.pk]), product))
    return actors


def test_the_demo_crawled_as_its_organisers_and_vendors_leaks_nothing(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_isolation"
    actors = _demo_actors()
    checks, _ = classify(admin_patterns())
    pairs = [("orga", "orga-2"), ("orga-2", "orga"),
             ("vendor of orga", "vendor of orga-2"), ("vendor of orga-2", "vendor of orga"),
             ("vendor of orga", "orga-2"), ("vendor of orga-2", "orga")]

    leaks = _tenant_leaks(actors, checks, set(), pairs)

    assert leaks == []

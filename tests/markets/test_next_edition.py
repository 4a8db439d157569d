"""« Préparer la prochaine édition »: last year's market, a year later, as a draft whose
publication invites last year's vendors, who accept in one click."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.models import MarketPage
from markets.editions import title_shift, year_shift
from markets.fields import percent_text
from markets.models import MarketParticipation, PickupPoint, PickupSlot
from markets.services import organiser_member_add
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    ParticipationFactory,
    PickupPointFactory,
    PickupSlotFactory,
    SolidarityProjectPageFactory,
    UserFactory,
    VendorFactory,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

State = MarketParticipation.State
PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def space(db):
    index = MarketIndexPageFactory(title="Marchés de Nantes")
    user = UserFactory(username="orga-nantes", email="orga@example.org")
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    project = SolidarityProjectPageFactory(parent=index, title="Épicerie solidaire")
    market = MarketPageFactory(
        parent=index, title="Marché de Noël 2026", slug="marche-de-noel-2026",
        opens_at=paris(2026, 11, 21, 10), closes_at=paris(2026, 12, 24, 18),
        commission_bps=700, shipping_allowed=True, intro="<p>Au quai</p>",
    )
    market.solidarity_projects.add(project)
    market.save()
    return index, user, market, project


def prepare(client, market, **changes):
    form = client.get(reverse("cms_market_next_edition", args=[market.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    for name in ("opens_at", "closes_at"):
        data[name] = data[name].strftime("%Y-%m-%d %H:%M")  # shown in local time
    data["shipping_allowed"] = "on" if data["shipping_allowed"] else ""
    data.update(changes)
    return client.post(reverse("cms_market_next_edition", args=[market.pk]), data)


def test_the_dates_move_one_year_at_the_same_local_hour_across_daylight_saving():
    # 2026-03-28 is winter time (UTC+1), 2027-03-28 summer time (UTC+2).
    shifted = year_shift(paris(2026, 3, 28, 10))

    assert timezone.localtime(shifted, PARIS).replace(tzinfo=None) == datetime(2027, 3, 28, 10)
    assert shifted.utcoffset().total_seconds() == 7200
    assert year_shift(paris(2028, 2, 29, 9)).date().isoformat() == "2029-02-28"


def test_the_year_of_the_title_moves_on():
    assert title_shift("Marché de Noël 2026") == "Marché de Noël 2027"
    assert title_shift("Marché d'hiver") == "Marché d'hiver"


def test_the_form_proposes_the_market_a_year_later(client, space):
    _, user, market, _ = space
    client.force_login(user)

    response = client.get(reverse("cms_market_next_edition", args=[market.pk]))

    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["title"] == "Marché de Noël 2027"
    assert initial["slug"] == "marche-de-noel-2027"
    assert timezone.localtime(initial["opens_at"]) == paris(2027, 11, 21, 10)
    assert timezone.localtime(initial["closes_at"]) == paris(2027, 12, 24, 18)
    assert initial["commission_bps"] == 700 and initial["shipping_allowed"] is True


def test_saving_creates_a_draft_with_the_projects_points_and_last_years_vendors(
    client, space
):
    index, user, market, project = space
    approved = ParticipationFactory(market=market, state=State.APPROVED).vendor
    for state in (State.REFUSED, State.SUSPENDED, State.APPLIED, State.INVITED):
        ParticipationFactory(market=market, state=state)
    banned = VendorFactory(status=Vendor.Status.SUSPENDED)
    ParticipationFactory(market=market, vendor=banned, state=State.APPROVED)
    PickupPointFactory(market=market, name="Halle", opening_hours="10 h – 19 h")
    client.force_login(user)

    response = prepare(client, market, title="Marché de Noël 2027 au quai",
                       commission_bps="6")

    edition = MarketPage.objects.get(title="Marché de Noël 2027 au quai")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[edition.pk])
    assert not edition.live and edition.get_parent().pk == index.pk
    assert edition.intro == market.intro and edition.commission_bps == 600
    assert edition.shipping_allowed
    assert timezone.localtime(edition.opens_at) == paris(2027, 11, 21, 10)
    assert [p.pk for p in edition.solidarity_projects.all()] == [project.pk]
    assert list(PickupPoint.objects.filter(market=edition).values_list(
        "name", "opening_hours")) == [("Halle", "10 h – 19 h")]
    invited = MarketParticipation.objects.filter(market=edition)
    assert [(p.vendor, p.state, p.invited_at) for p in invited] == [
        (approved, State.INVITED, None)]
    assert market.participations.count() == 6  # last year's market is left as it was
    assert not mail.outbox  # nothing is sent before publication


def test_the_organiser_lands_on_the_new_draft_with_its_invitations(client, space):
    _, user, market, _ = space
    vendor = ParticipationFactory(market=market, state=State.APPROVED).vendor
    client.force_login(user)

    response = prepare(client, market)
    page = client.get(response["Location"])

    assert page.status_code == 200
    assert "Marché de Noël 2027" in page.content.decode()
    assert vendor.name in page.content.decode()


def test_a_taken_address_or_dates_in_the_wrong_order_are_refused(client, space):
    index, user, market, _ = space
    MarketPageFactory(parent=index, title="Déjà là", slug="deja-la")
    client.force_login(user)

    taken = prepare(client, market, slug="deja-la")
    backwards = prepare(client, market, closes_at="2027-11-01 10:00")

    assert taken.status_code == backwards.status_code == 200
    assert "slug" in taken.context["form"].errors
    assert "closes_at" in backwards.context["form"].errors
    assert MarketPage.objects.count() == 2


def test_another_organiser_or_a_vendor_gets_404(client, space, vendor_a):
    _, _, market, _ = space
    other_index = MarketIndexPageFactory()
    other = UserFactory()
    organiser_member_add(organiser=other_index.organiser, user=other, index_page=other_index)
    ParticipationFactory(market=market, vendor=vendor_a.vendor)
    url = reverse("cms_market_next_edition", args=[market.pk])

    for user in (other, vendor_a.user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "x"}).status_code == 404
    assert MarketPage.objects.count() == 1


def test_the_action_is_offered_in_the_listing_and_on_the_edit_view(client, space):
    index, user, market, _ = space
    client.force_login(user)
    url = reverse("cms_market_next_edition", args=[market.pk])

    listing = client.get(reverse("wagtailadmin_explore", args=[index.pk])).content.decode()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[market.pk])).content.decode()

    assert url in listing and url in edit
    assert "Préparer la prochaine édition" in edit


def test_wagtails_copy_of_a_market_leads_to_its_next_edition(client, space):
    _, user, market, project = space
    client.force_login(user)

    response = client.get(reverse("wagtailadmin_pages:copy", args=[market.pk]))
    posted = client.post(reverse("wagtailadmin_pages:copy", args=[market.pk]), {
        "new_title": "Copie", "new_slug": "copie", "new_parent_page": market.get_parent().pk,
        "copy_subpages": "", "publish_copies": ""})

    target = reverse("cms_market_next_edition", args=[market.pk])
    assert response.status_code == posted.status_code == 302
    assert response["Location"] == posted["Location"] == target
    assert MarketPage.objects.count() == 1
    # A project is copied as Wagtail does.
    assert client.get(reverse("wagtailadmin_pages:copy", args=[project.pk])).status_code == 200


def publish(client, page):
    rows = [{"id": p.pk, "vendor": p.vendor_id, "message": p.message, "ORDER": order,
             "DELETE": ""} for order, p in enumerate(page.participations.all())]
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), nested_form_data({
        "title": page.title, "slug": page.slug, "intro": rich_text(page.intro),
        "opens_at": timezone.localtime(page.opens_at).strftime("%Y-%m-%d %H:%M"),
        "closes_at": timezone.localtime(page.closes_at).strftime("%Y-%m-%d %H:%M"),
        "commission_bps": percent_text(page.commission_bps), "shipping_allowed": "on",
        "solidarity_projects": [p.pk for p in page.solidarity_projects.all()],
        "participations": inline_formset(rows, initial=len(rows)),
        "pickup_points": inline_formset(
            [{"id": p.pk, "name": p.name, "address": p.address, "postcode": p.postcode,
              "city": p.city, "opening_hours": p.opening_hours, "ORDER": order, "DELETE": ""}
             for order, p in enumerate(page.pickup_points.all())],
            initial=page.pickup_points.count()),
        "action-publish": "publish",
    }))


def test_publishing_the_edition_emails_the_invitations_and_one_click_accepts(
    client, space, vendor_a, django_capture_on_commit_callbacks
):
    _, user, market, _ = space
    ParticipationFactory(market=market, vendor=vendor_a.vendor, state=State.APPROVED)
    client.force_login(user)
    edition = MarketPage.objects.get(pk=prepare(client, market)["Location"].split("/")[-3])

    with django_capture_on_commit_callbacks(execute=True):
        response = publish(client, edition)

    assert response.status_code == 302, response.context["form"].errors
    invitation = MarketParticipation.objects.get(market=edition)
    assert invitation.state == State.INVITED and invitation.invited_at is not None
    sent = [m for m in mail.outbox if vendor_a.vendor.email in m.to]
    assert len(sent) == 1 and "Marché de Noël 2027" in sent[0].subject
    link = re.search(r"https?://\S+", sent[0].body).group(0)
    assert link.endswith(reverse("markets_invitation_answer", args=[invitation.pk]))

    vendor = Client(enforce_csrf_checks=True)
    vendor.force_login(vendor_a.user)
    page = vendor.get(link).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    vendor.post(link, {"answer": "accept", "csrfmiddlewaretoken": token})

    invitation.refresh_from_db()
    assert invitation.state == State.APPROVED


def test_the_form_and_the_invitation_page_are_read_in_few_queries(
    client, space, vendor_a, django_assert_max_num_queries
):
    _, user, market, _ = space
    for _ in range(8):
        ParticipationFactory(market=market, state=State.APPROVED)
    PickupPointFactory(market=market)
    invitation = ParticipationFactory(market=market, vendor=vendor_a.vendor,
                                      state=State.INVITED)
    client.force_login(user)
    client.get(reverse("cms_market_next_edition", args=[market.pk]))

    with django_assert_max_num_queries(20):  # 18: session, user, permissions, market, form
        form = client.get(reverse("cms_market_next_edition", args=[market.pk]))
    client.force_login(vendor_a.user)
    client.get(reverse("markets_invitation_answer", args=[invitation.pk]))
    with django_assert_max_num_queries(15):  # 13: session, user, vendor, invitation, menus
        answer = client.get(reverse("markets_invitation_answer", args=[invitation.pk]))

    assert form.status_code == answer.status_code == 200
    assert "Accepter l'invitation" in answer.content.decode()


def test_the_invitation_link_asks_to_log_in_then_comes_back(client, space, vendor_a):
    _, _, market, _ = space
    invitation = ParticipationFactory(market=market, vendor=vendor_a.vendor,
                                      state=State.INVITED)
    link = reverse("markets_invitation_answer", args=[invitation.pk])

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert response["Location"].endswith("?next=" + link)


def test_the_points_slots_and_vendors_rates_move_to_the_next_edition(client, space):
    """Given last year's slot and a vendor's own rate, when the next edition opens a week
    later than a year on, then the slot moves with it at the same Paris hour and the
    vendor keeps its rate."""
    _, user, market, _ = space
    ParticipationFactory(market=market, state=State.APPROVED, commission_bps=0)
    point = PickupPointFactory(market=market, name="Halle")
    PickupSlotFactory(point=point, starts_at=paris(2026, 12, 2, 10),
                      ends_at=paris(2026, 12, 2, 11), capacity=5)
    client.force_login(user)

    prepare(client, market, title="Marché de Noël 2027 au quai",
            opens_at="2027-11-28 10:00")

    edition = MarketPage.objects.get(title="Marché de Noël 2027 au quai")
    slot = PickupSlot.objects.get(point__market=edition)
    assert (timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at),
            slot.capacity) == (paris(2027, 12, 9, 10), paris(2027, 12, 9, 11), 5)
    assert MarketParticipation.objects.get(market=edition).commission_bps == 0

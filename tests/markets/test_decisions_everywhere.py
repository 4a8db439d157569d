"""One decision path: whatever the organiser clicks, a vendor's place changes through the
decision (e-mailed to the vendor), never silently in the market page's form; and a draft
of the page published later keeps the decisions taken since."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from markets.fields import percent_text
from markets.models import MarketParticipation
from markets.services import organiser_member_add, vendor_apply
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    ParticipationFactory,
    UserFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db

State = MarketParticipation.State


@pytest.fixture
def organiser(db):
    index = MarketIndexPageFactory()
    user = UserFactory()
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    return user, MarketPageFactory(parent=index, title="Marché de Noël du quai")


def page_form(client, market, rows, *, publish=True, **posted_state):
    """The market page's form as the browser sends it; `posted_state` forges a state for
    rows, as a hand-made request could."""
    data = {
        "title": market.title, "slug": market.slug, "intro": rich_text(""),
        "opens_at": timezone.localtime(market.opens_at).strftime("%Y-%m-%d %H:%M"),
        "closes_at": timezone.localtime(market.closes_at).strftime("%Y-%m-%d %H:%M"),
        "commission_bps": percent_text(market.commission_bps),
        "participations": inline_formset(
            [{"id": row.get("id", ""), "vendor": row["vendor"], "message": "",
              "ORDER": order, "DELETE": row.get("DELETE", ""), **posted_state}
             for order, row in enumerate(rows)],
            initial=sum(1 for row in rows if row.get("id"))),
        "pickup_points": inline_formset([]),
    }
    if publish:
        data["action-publish"] = "publish"
    return client.post(reverse("wagtailadmin_pages:edit", args=[market.pk]),
                       nested_form_data(data))


def rows_of(market):
    return [{"id": p.pk, "vendor": p.vendor_id}
            for p in MarketParticipation.objects.filter(market=market).order_by("pk")]


def test_the_page_shows_the_state_and_links_to_the_decision(client, organiser):
    user, market = organiser
    application = ParticipationFactory(market=market, state=State.APPLIED)
    client.force_login(user)

    page = client.get(reverse("wagtailadmin_pages:edit", args=[market.pk])).content.decode()

    assert reverse("applications:edit", args=[application.pk]) in page
    assert "décider dans « Candidatures »" in page
    assert 'name="participations-0-state"' not in page


def test_a_state_posted_in_the_page_form_changes_nothing(client, organiser):
    user, market = organiser
    application = ParticipationFactory(market=market, state=State.APPLIED)
    client.force_login(user)

    response = page_form(client, market, rows_of(market), state=State.APPROVED)

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.APPLIED
    assert not mail.outbox


def test_approving_from_the_page_link_decides_and_emails(
    client, organiser, django_capture_on_commit_callbacks
):
    user, market = organiser
    application = ParticipationFactory(market=market, state=State.APPLIED)
    client.force_login(user)
    link = reverse("applications:edit", args=[application.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"state": State.APPROVED, "message": ""})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert [m.to for m in mail.outbox] == [[application.vendor.email]]


def test_refusing_asks_for_the_reason(client, organiser, django_capture_on_commit_callbacks):
    user, market = organiser
    application = ParticipationFactory(market=market, state=State.APPLIED)
    client.force_login(user)
    link = reverse("applications:edit", args=[application.pk])

    silent = client.post(link, {"state": State.REFUSED, "message": " "})
    with django_capture_on_commit_callbacks(execute=True):
        told = client.post(link, {"state": State.REFUSED, "message": "Complet cette année."})

    assert silent.status_code == 200 and "message" in silent.context["form"].errors
    assert told.status_code == 302
    application.refresh_from_db()
    assert application.state == State.REFUSED
    assert len(mail.outbox) == 1 and "Complet cette année." in mail.outbox[0].body


def test_a_draft_published_later_keeps_the_decisions_taken_since(
    client, organiser, django_capture_on_commit_callbacks
):
    user, market = organiser
    application = ParticipationFactory(market=market, state=State.APPLIED)
    client.force_login(user)
    page_form(client, market, rows_of(market), publish=False)  # a draft, before deciding
    client.post(reverse("applications:edit", args=[application.pk]),
                {"state": State.APPROVED, "message": ""})
    latecomer = vendor_apply(market=market, contact_name="Alex Martin", vendor_data={
        "name": "Recyclerie du port", "email": "port@example.org",
        "legal_form": "association", "siret": VendorFactory.build().siret})

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[market.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = page_form(client, market, [{"id": application.pk,
                                               "vendor": application.vendor_id}])

    assert response.status_code == 302
    assert "<strong>Validé</strong>" in edit  # what the draft shows is the decision
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert MarketParticipation.objects.get(pk=latecomer.pk).state == State.APPLIED


@pytest.mark.parametrize("change", ["vendor", "DELETE"])
def test_a_decided_place_is_not_moved_or_removed_on_the_page(client, organiser, change):
    user, market = organiser
    place = ParticipationFactory(market=market, state=State.APPROVED)
    other = VendorFactory()
    client.force_login(user)
    row = {"id": place.pk, "vendor": place.vendor_id}
    row[change] = other.pk if change == "vendor" else "1"

    response = page_form(client, market, [row])

    assert response.status_code == 200
    place.refresh_from_db()
    assert (place.vendor_id, place.state) == (place.vendor_id, State.APPROVED)
    assert MarketParticipation.objects.filter(market=market).count() == 1


def test_an_invitation_of_a_draft_may_be_withdrawn_before_it_is_sent(client, organiser):
    user, market = organiser
    market.unpublish()
    invitation = ParticipationFactory(market=market, state=State.INVITED, invited_at=None)
    client.force_login(user)

    response = page_form(client, market, [{"id": invitation.pk,
                                           "vendor": invitation.vendor_id, "DELETE": "1"}])

    assert response.status_code == 302
    assert not MarketParticipation.objects.filter(market=market).exists()
    assert not mail.outbox

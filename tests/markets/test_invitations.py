"""A vendor joins an organiser's market by applying or by accepting an invitation: an
organiser who adds a vendor on the market page invites it, and it is told by e-mail."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from markets.fields import percent_text
from markets.models import MarketParticipation
from markets.services import organiser_member_add
from shop.catalogue.selectors import products_on_sale
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    ParticipationFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

State = MarketParticipation.State


@pytest.fixture
def organiser(db):
    index = MarketIndexPageFactory()
    user = UserFactory()
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    return user, MarketPageFactory(parent=index, title="Marché de Noël du quai")


def publish(client, market, participations):
    rows = [{"id": row.get("id", ""), "vendor": row["vendor"], "state": row["state"],
             "message": "", "ORDER": index, "DELETE": ""}
            for index, row in enumerate(participations)]
    existing = sum(1 for row in participations if row.get("id"))
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[market.pk]),
        nested_form_data({
            "title": market.title, "slug": market.slug, "intro": rich_text(""),
            "opens_at": market.opens_at.strftime("%Y-%m-%d %H:%M"),
            "closes_at": market.closes_at.strftime("%Y-%m-%d %H:%M"),
            "commission_bps": percent_text(market.commission_bps),
            "participations": inline_formset(rows, initial=existing),
            "pickup_points": inline_formset([]),
            "action-publish": "publish",
        }),
    )


def test_a_vendor_added_on_the_market_page_is_invited_and_told(
    client, organiser, vendor_a, django_capture_on_commit_callbacks
):
    user, market = organiser
    vendor_a.vendor.email = "structure-a@example.org"
    vendor_a.vendor.save()
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = publish(client, market, [{"vendor": vendor_a.vendor.pk,
                                             "state": State.INVITED}])

    assert response.status_code == 302
    participation = MarketParticipation.objects.get(market=market, vendor=vendor_a.vendor)
    assert participation.state == State.INVITED
    invitations = [m for m in mail.outbox if "structure-a@example.org" in m.to]
    assert len(invitations) == 1 and "Marché de Noël du quai" in invitations[0].subject


@pytest.mark.parametrize("state", [State.APPROVED, State.APPLIED])
def test_an_organiser_cannot_add_a_vendor_silently(client, organiser, vendor_a, state):
    user, market = organiser
    client.force_login(user)

    response = publish(client, market, [{"vendor": vendor_a.vendor.pk, "state": state}])

    # The state is not the page's to set: a vendor added there is invited.
    assert response.status_code == 302
    participation = MarketParticipation.objects.get(market=market)
    assert participation.state == State.INVITED and participation.invited_at is not None


def test_an_invitation_is_accepted_by_the_vendor_only(client, organiser, vendor_a):
    user, market = organiser
    invitation = ParticipationFactory(market=market, vendor=vendor_a.vendor,
                                      state=State.INVITED)
    client.force_login(user)

    publish(client, market, [{"id": invitation.pk, "vendor": vendor_a.vendor.pk,
                              "state": State.APPROVED}])

    invitation.refresh_from_db()
    assert invitation.state == State.INVITED


def test_the_vendor_accepts_an_invitation_from_its_dashboard(organiser, vendor_a):
    _, market = organiser
    ProductFactory(vendor=vendor_a.vendor)
    invitation = ParticipationFactory(market=market, vendor=vendor_a.vendor,
                                      state=State.INVITED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(vendor_a.user)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    accept_url = reverse("markets_invitation_answer", args=[invitation.pk])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', dashboard).group(1)

    response = client.post(accept_url, {"answer": "accept", "csrfmiddlewaretoken": token})

    assert accept_url in dashboard
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == State.APPROVED
    assert products_on_sale(market=market).count() == vendor_a.vendor.products.count() == 2


def test_a_vendor_declines_an_invitation(client, organiser, vendor_a):
    _, market = organiser
    invitation = ParticipationFactory(market=market, vendor=vendor_a.vendor,
                                      state=State.INVITED)
    client.force_login(vendor_a.user)

    client.post(reverse("markets_invitation_answer", args=[invitation.pk]),
                {"answer": "decline"})

    invitation.refresh_from_db()
    assert invitation.state == State.REFUSED


def test_a_vendor_cannot_answer_another_vendors_invitation(client, organiser, vendor_a,
                                                          vendor_b):
    _, market = organiser
    invitation = ParticipationFactory(market=market, vendor=vendor_b.vendor,
                                      state=State.INVITED)
    client.force_login(vendor_a.user)

    response = client.post(reverse("markets_invitation_answer", args=[invitation.pk]),
                           {"answer": "accept"})

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == State.INVITED

"""« Compte de versement » of an organiser: its members open the connected account that
receives their markets' commission on Stripe's hosted onboarding, and nobody else reaches
it but the platform admins."""

import pytest
from django.urls import reverse

from markets.services import organiser_member_add
from payments.connect import connect_account_create
from tests.factories import (
    MarketIndexPageFactory,
    OrganiserFactory,
    UserFactory,
    VendorFactory,
)
from vendors.services import vendor_member_add

pytestmark = pytest.mark.django_db


def organiser_member(username: str, **organiser):
    """A user who belongs to a new organiser, and that organiser."""
    index = MarketIndexPageFactory(organiser=OrganiserFactory(**organiser))
    user = UserFactory(username=username)
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    return user, index.organiser


def screen(organiser, step: str = "onboard") -> str:
    return reverse(f"payments_connect:organiser_{step}", args=[organiser.pk])


def test_the_organiser_account_is_created_once_like_the_others(fake_stripe):
    organiser = OrganiserFactory(name="Réseau ESS Nantes", contact_email="orga@example.org")

    account_id = connect_account_create(organiser=organiser)
    again = connect_account_create(organiser=organiser)

    [call] = fake_stripe.posts("/v1/accounts")
    organiser.refresh_from_db()
    assert again == account_id == organiser.stripe_account_id
    assert call.idempotency_key == f"account-organiser-{organiser.pk}"
    assert call.params["metadata[organiser]"] == str(organiser.pk)
    assert call.params["business_profile[name]"] == "Réseau ESS Nantes"
    assert call.params["email"] == "orga@example.org"
    assert call.params["controller[stripe_dashboard][type]"] == "express"
    assert call.params["capabilities[transfers][requested]"] == "true"


def test_one_beneficiary_at_a_time(fake_stripe):
    with pytest.raises(ValueError):
        connect_account_create()
    with pytest.raises(ValueError):
        connect_account_create(organiser=OrganiserFactory(), vendor=VendorFactory())
    assert not fake_stripe.posts("/v1/accounts")


def test_a_member_opens_the_payout_account_and_comes_back(client, fake_stripe):
    # Given a member of an organiser without a payout account
    user, organiser = organiser_member("orga-nantes")
    client.force_login(user)
    page = client.get(screen(organiser)).content.decode()
    assert "non ouvert" in page
    assert "Ouvrir mon compte de versement" in page

    # When they open it, they go to Stripe's onboarding, which knows where to come back
    response = client.post(screen(organiser))

    organiser.refresh_from_db()
    assert response.url == f"https://connect.stripe.test/setup/{organiser.stripe_account_id}"
    [link] = fake_stripe.posts("/v1/account_links")
    assert link.params["return_url"] == f"http://testserver{screen(organiser, 'return')}"
    assert link.params["refresh_url"] == f"http://testserver{screen(organiser, 'refresh')}"

    # Then, back from Stripe with transfers active, the account is ready
    fake_stripe.account(organiser.stripe_account_id, transfers="active")
    response = client.get(screen(organiser, "return"), follow=True)

    organiser.refresh_from_db()
    assert organiser.transfers_active and organiser.payouts_enabled
    assert response.redirect_chain[-1][0] == screen(organiser)
    page = response.content.decode()
    assert "les versements sont actifs" in page
    assert "Ouvrir mon compte de versement" not in page


def test_back_from_an_unfinished_onboarding_the_account_is_incomplete(client, fake_stripe):
    user, organiser = organiser_member("orga-lent")
    client.force_login(user)
    client.post(screen(organiser))

    response = client.get(screen(organiser, "return"), follow=True)

    page = response.content.decode()
    assert "Stripe attend encore quelques informations" in page
    assert "ouverture incomplète" in page
    assert "Compléter mon compte de versement" in page


def test_refresh_gives_a_new_link(client, fake_stripe):
    user, organiser = organiser_member("orga-retard", stripe_account_id="acct_42")
    client.force_login(user)

    response = client.get(screen(organiser, "refresh"))

    assert response.url == "https://connect.stripe.test/setup/acct_42"


def test_a_stripe_failure_is_told_and_nothing_recorded(client, fake_stripe, monkeypatch):
    user, organiser = organiser_member("orga-panne")
    client.force_login(user)
    monkeypatch.setattr(fake_stripe, "_answer", lambda *args: (
        {"error": {"type": "invalid_request_error", "message": "Refused"}}, 400))

    response = client.post(screen(organiser), follow=True)

    organiser.refresh_from_db()
    assert response.redirect_chain[-1][0] == screen(organiser)
    assert "Stripe n’a pas pu être joint" in response.content.decode()
    assert not organiser.stripe_account_id


def test_other_organisers_get_404(client, fake_stripe):
    _, organiser = organiser_member("orga-a")
    other, _ = organiser_member("orga-b")
    client.force_login(other)

    for step in ("onboard", "return", "refresh"):
        assert client.get(screen(organiser, step)).status_code == 404
    assert client.post(screen(organiser)).status_code == 404

    organiser.refresh_from_db()
    assert not organiser.stripe_account_id
    assert not fake_stripe.calls


def test_vendors_get_403(client, fake_stripe):
    _, organiser = organiser_member("orga-a")
    user = UserFactory(username="vendeur")
    vendor_member_add(vendor=VendorFactory(), user=user)
    client.force_login(user)

    assert client.get(screen(organiser)).status_code == 403
    assert client.post(screen(organiser)).status_code == 403
    assert client.get(reverse("payments_connect:organiser_accounts")).status_code == 403
    assert "Compte de versement" not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert not fake_stripe.calls


def test_a_member_of_two_organisers_chooses_one(client, fake_stripe,
                                                django_assert_max_num_queries):
    user, first = organiser_member("orga-double", name="Réseau Alpha")
    index = MarketIndexPageFactory(organiser=OrganiserFactory(name="Réseau Bravo",
                                                              stripe_account_id="acct_b"))
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    organiser_member("orga-tiers", name="Réseau Charlie")
    client.force_login(user)

    # The admin's session, user and menus, then the organisers in one query: 17.
    with django_assert_max_num_queries(18):
        page = client.get(reverse("payments_connect:organiser_accounts")).content.decode()

    assert screen(first) in page and screen(index.organiser) in page
    assert "Réseau Charlie" not in page
    assert "non ouvert" in page and "ouverture incomplète" in page
    response = client.post(screen(index.organiser))
    assert response.url == "https://connect.stripe.test/setup/acct_b"


def test_one_organiser_goes_straight_to_its_screen(client, fake_stripe):
    user, organiser = organiser_member("orga-seul")
    client.force_login(user)

    response = client.get(reverse("payments_connect:organiser_accounts"))

    assert response.url == screen(organiser)


def test_platform_admins_see_every_organiser(client, fake_stripe, admin_user):
    _, organiser = organiser_member("orga-a", name="Réseau Alpha")
    organiser_member("orga-b", name="Réseau Bravo")
    client.force_login(admin_user)

    page = client.get(reverse("payments_connect:organiser_accounts")).content.decode()

    assert "Réseau Alpha" in page and "Réseau Bravo" in page
    assert "Réseau Alpha" in client.get(screen(organiser)).content.decode()


def test_the_menu_leads_to_the_payout_account(client, fake_stripe):
    user, _ = organiser_member("orga-menu")
    client.force_login(user)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Compte de versement" in page
    assert reverse("payments_connect:organiser_accounts") in page


def test_without_stripe_there_is_no_payout_account(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    user, organiser = organiser_member("orga-demo")
    client.force_login(user)

    assert client.get(screen(organiser)).status_code == 404
    assert client.post(screen(organiser)).status_code == 404
    assert reverse("payments_connect:organiser_accounts") not in client.get(
        reverse("wagtailadmin_home")).content.decode()

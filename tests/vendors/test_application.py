"""« Candidater comme exposant »: a structure applies to a market through the public form."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from markets.models import MarketParticipation, OrganiserMembership
from tests.factories import MarketPageFactory, UserFactory, VendorFactory, valid_siret
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def application(**overrides):
    data = {
        "name": "Ressourcerie de l'Île",
        "legal_form": "association",
        "siret": "",
        "rna": "W442001234",
        "email": "Contact@Ressourcerie-Ile.org",
        "phone": "02 40 00 00 00",
        "website": "",
        "address": "3 rue de la Réparation",
        "postcode": "44200",
        "city": "Nantes",
        "ess_commitment": "Association d'insertion, réemploi de 120 tonnes par an.",
        "contact_name": "Camille Martin",
        "description_text": "Nous collectons et revalorisons.\n\nBoutique ouverte le samedi.",
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def market():
    market = MarketPageFactory()
    orga = UserFactory(username="orga-test", email="orga@example.org")
    OrganiserMembership.objects.create(user=orga, organiser=market.organiser)
    return market


def apply_url(market):
    return market.url + market.reverse_subpage("apply")


def test_an_application_creates_the_vendor_its_participation_and_an_owner_account(
    client, market, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(market), application())

    assert response.status_code == 302
    vendor = Vendor.objects.get(name="Ressourcerie de l'Île")
    assert vendor.status == Vendor.Status.APPLIED
    assert vendor.email == "contact@ressourcerie-ile.org"
    assert vendor.description == (
        "<p>Nous collectons et revalorisons.</p><p>Boutique ouverte le samedi.</p>"
    )
    participation = MarketParticipation.objects.get(vendor=vendor)
    assert (participation.market_id, participation.state) == (market.pk, "applied")
    owner = get_user_model().objects.get(vendor_memberships__vendor=vendor)
    assert owner.username == f"vendeur-{vendor.slug}"
    assert not owner.has_usable_password()
    assert owner.groups.filter(name="Exposants").exists()


def test_an_application_is_taken_even_when_the_e_mails_cannot_be_queued(
    client, market, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(market), application())

    assert response.status_code == 302
    assert Vendor.objects.filter(name="Ressourcerie de l'Île").exists()


def test_the_owner_gets_a_set_password_link_and_the_organisers_are_told(
    client, market, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url(market), application())

    to_owner = [m for m in mail.outbox if "contact@ressourcerie-ile.org" in m.to]
    to_orga = [m for m in mail.outbox if "orga@example.org" in m.to]
    assert len(to_owner) == 1 and len(to_orga) == 1
    link = re.search(r"http://\S+/admin/password_reset/confirm/\S+/", to_owner[0].body).group(0)
    assert "Ressourcerie de l'Île" in to_orga[0].subject
    assert to_owner[0].alternatives[0][1] == "text/html"

    form = client.get(link, follow=True)
    post_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(post_url, {"new_password1": "Un-mot-de-passe-solide-2026",
                                  "new_password2": "Un-mot-de-passe-solide-2026"})
    assert done.status_code == 302
    client.logout()
    login = client.post(
        "/admin/login/",
        {"username": "vendeur-ressourcerie-de-lile", "password": "Un-mot-de-passe-solide-2026"},
    )
    assert login.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("siret", "12345678901234"), ("rna", "442001234"), ("email", "pas-un-email"),
     ("accept_terms", ""), ("name", "")],
)
def test_bad_input_gets_a_clear_error_and_creates_nothing(client, market, field, value):
    response = client.post(apply_url(market), application(**{field: value}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Vendor.objects.filter(name="Ressourcerie de l'Île").exists()
    assert get_user_model().objects.filter(username__startswith="vendeur-").count() == 0


def test_a_structure_already_registered_is_sent_to_its_space(client, market):
    siret = valid_siret()
    VendorFactory(siret=siret)

    response = client.post(apply_url(market), application(siret=siret, rna=""))

    assert "siret" in response.context["form"].errors


def test_a_closed_market_takes_no_application(client):
    from datetime import timedelta

    from django.utils import timezone

    market = MarketPageFactory(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=1)
    )

    response = client.post(apply_url(market), application())

    assert response.status_code == 200
    assert response.context["form"] is None
    assert not Vendor.objects.filter(name="Ressourcerie de l'Île").exists()


def test_the_form_is_labelled_and_french(client, market):
    html = client.get(apply_url(market)).content.decode()

    assert "Candidater comme exposant" in html
    for field in ("id_name", "id_siret", "id_rna", "id_email", "id_accept_terms"):
        assert f'for="{field}"' in html


def test_the_market_page_invites_structures_to_apply(client, market):
    html = client.get(market.url).content.decode()

    assert f'href="{apply_url(market)}"' in html

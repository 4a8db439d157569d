import pytest

from markets.models import MarketParticipation
from shop.orders.services import order_lines_cancel
from tests.factories import (
    MarketPageFactory,
    ParticipationFactory,
    PickupPointFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    paid_checkout,
    product_in_market,
    reserved_checkout,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

PRIVATE_FIELDS = {
    "email", "phone", "address", "stripe_account_id", "payouts_enabled", "transfers_active",
}


def test_lists_approved_vendors_by_name_without_private_fields(api_get):
    # given two approved vendors and two that are not
    VendorFactory(name="Ressourcerie du Bocage", legal_form=Vendor.LegalForm.ASSOCIATION)
    VendorFactory(name="Atelier Coop", legal_form=Vendor.LegalForm.COOPERATIVE, ships=True)
    VendorFactory(name="Candidat", status=Vendor.Status.APPLIED)
    VendorFactory(name="Suspendu", status=Vendor.Status.SUSPENDED)

    # when
    response = api_get("/vendors")

    # then
    assert response.status_code == 200
    payload = response.json()
    assert [vendor["name"] for vendor in payload] == ["Atelier Coop", "Ressourcerie du Bocage"]
    assert payload[0]["legal_form"]["code"] == "cooperative"
    assert payload[0]["legal_form"]["label"]
    assert payload[0]["currency"] == "EUR"
    assert not PRIVATE_FIELDS & set(payload[0])


def test_vendors_of_one_market(api_get):
    # given a market with an approved, an applying and a suspended vendor, and another market
    market = MarketPageFactory()
    approved = ParticipationFactory(market=market).vendor
    ParticipationFactory(market=market, state=MarketParticipation.State.APPLIED)
    ParticipationFactory(market=market, vendor=VendorFactory(status=Vendor.Status.SUSPENDED))
    ParticipationFactory()

    # when
    response = api_get("/vendors", market=market.pk)

    # then
    assert [vendor["slug"] for vendor in response.json()] == [approved.slug]


@pytest.mark.parametrize("market", ["987654", "0", "abc"])
def test_vendors_of_an_unknown_market(api_get, market):
    response = api_get("/vendors", market=market)

    assert response.status_code in (404, 422)
    assert response.json()["detail"]


def test_vendor_detail_is_its_public_identity(api_get):
    # given an approved association taking part in a market
    vendor = VendorFactory(
        name="Envie Anjou", siret="", rna="W491234567", is_professional=True,
        description="<p>Électroménager <i>reconditionné</i>.</p>",
        website="https://envie.example.org", phone="0102030405",
        stripe_account_id="acct_123",
    )
    market = ParticipationFactory(vendor=vendor).market

    # when
    response = api_get(f"/vendors/{vendor.slug}")

    # then
    assert response.status_code == 200
    payload = response.json()
    assert payload["rna"] == "W491234567"
    assert payload["is_professional"] is True
    assert payload["description"] == "<p>Électroménager <i>reconditionné</i>.</p>"
    assert payload["website"] == "https://envie.example.org"
    assert [item["id"] for item in payload["markets"]] == [market.pk]
    assert not PRIVATE_FIELDS & set(payload)
    assert "acct_123" not in response.content.decode()
    assert "0102030405" not in response.content.decode()


@pytest.mark.parametrize("status", [Vendor.Status.APPLIED, Vendor.Status.SUSPENDED])
def test_vendor_not_approved_is_404(api_get, status):
    vendor = VendorFactory(status=status)

    response = api_get(f"/vendors/{vendor.slug}")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_unknown_vendor_is_404(api_get):
    assert api_get("/vendors/personne").status_code == 404


def test_projects_have_goal_amount_raised_and_markets(api_get):
    # given a project offered in a live market and one in no market
    project = SolidarityProjectPageFactory(
        title="Atelier vélo solidaire", beneficiary="La Rustine", goal_cents=250_000,
        summary="Réparer plutôt que jeter",
    )
    market = MarketPageFactory()
    market.solidarity_projects.add(project)
    market.save_revision().publish()
    SolidarityProjectPageFactory(title="Bibliothèque de rue")

    # when
    response = api_get("/projects")

    # then
    assert response.status_code == 200
    first, second = response.json()
    assert first["title"] == "Atelier vélo solidaire"
    assert first["beneficiary"] == "La Rustine"
    assert (first["goal_cents"], first["amount_raised_cents"], first["currency"]) == (
        250_000, 0, "EUR",
    )
    assert [item["id"] for item in first["markets"]] == [market.pk]
    assert second["markets"] == []


def test_project_detail_and_404(api_get):
    project = SolidarityProjectPageFactory(story="<p>Une belle histoire.</p>")
    draft = SolidarityProjectPageFactory()
    draft.unpublish()

    detail = api_get(f"/projects/{project.pk}")

    assert detail.status_code == 200
    assert detail.json()["story"] == "<p>Une belle histoire.</p>"
    assert detail.json()["amount_raised_cents"] == 0
    assert api_get(f"/projects/{draft.pk}").status_code == 404
    assert api_get("/projects/987654").status_code == 404


def test_projects_show_the_money_raised_by_paid_checkouts(api_get):
    # given two units of 50,00 € each giving 10 % to the project, a 3,00 € donation to it,
    # one unit cancelled afterwards, and an unpaid checkout that would give more
    project = SolidarityProjectPageFactory(title="Épicerie solidaire")
    other = SolidarityProjectPageFactory(title="Atelier vélo")
    market = MarketPageFactory()
    PickupPointFactory(market=market)
    market.solidarity_projects.add(project, other)
    market.save_revision().publish()
    product = product_in_market(market, price_cents=5000, stock=3, solidarity_bps=1000,
                                solidarity_project=project)
    order = paid_checkout([(product, 2)], market=market, chosen_project=project,
                          donation_cents=300).orders.get()
    order_lines_cancel(order=order, quantities={order.lines.get().pk: 1})
    reserved_checkout(market, [(product, 1)], session_key="pas-encore-paye",
                      chosen_project=project, donation_cents=1000)

    # when
    detail = api_get(f"/projects/{project.pk}")
    listed = {item["id"]: item for item in api_get("/projects").json()}

    # then
    assert detail.json()["amount_raised_cents"] == 500 + 300
    assert listed[project.pk]["amount_raised_cents"] == 500 + 300
    assert listed[other.pk]["amount_raised_cents"] == 0

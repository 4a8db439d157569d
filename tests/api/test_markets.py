from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from markets.models import MarketParticipation
from tests.api.conftest import closed_market, paused_market, upcoming_market
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    OrganiserFactory,
    ParticipationFactory,
    PickupPointFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def test_lists_live_markets_with_status_dates_and_organiser(api_get):
    # given an open market run by an organiser, and a draft market
    organiser = OrganiserFactory(name="Écopôle Nantes")
    market = MarketPageFactory(
        title="Marché de Noël solidaire", commission_bps=800, shipping_allowed=True,
        parent=MarketIndexPageFactory(organiser=organiser),
    )
    draft = MarketPageFactory(title="Brouillon")
    draft.unpublish()

    # when
    response = api_get("/markets")

    # then
    assert response.status_code == 200
    [payload] = response.json()
    assert payload["id"] == market.pk
    assert payload["title"] == "Marché de Noël solidaire"
    assert payload["status"] == "open"
    assert payload["commission_bps"] == 800
    assert payload["shipping_allowed"] is True
    assert payload["organiser"]["name"] == "Écopôle Nantes"
    assert payload["url"].endswith("/marche-de-noel-solidaire/")
    opens_at = datetime.fromisoformat(payload["opens_at"])
    assert opens_at.utcoffset() == timezone.localtime(market.opens_at).utcoffset()
    assert abs(opens_at - market.opens_at) < timedelta(seconds=1)


@pytest.mark.parametrize("status", ["open", "upcoming", "closed", "paused"])
def test_filters_markets_by_status(api_get, status):
    # given one market in each status
    markets = {
        "open": MarketPageFactory(),
        "upcoming": upcoming_market(),
        "closed": closed_market(),
        "paused": paused_market(),
    }

    # when
    response = api_get("/markets", status=status)

    # then
    assert response.status_code == 200
    assert [(item["id"], item["status"]) for item in response.json()] == [
        (markets[status].pk, status)
    ]


def test_unknown_status_is_rejected(api_get):
    response = api_get("/markets", status="soon")

    assert response.status_code == 422


def test_market_detail_has_pickup_points_projects_and_vendor_count(api_get):
    # given a market with a pick-up point, a project and two approved vendors of three
    market = MarketPageFactory()
    PickupPointFactory(market=market, name="Halle Sud", city="Nantes")
    project = SolidarityProjectPageFactory(title="Épicerie solidaire")
    market.solidarity_projects.add(project)
    market.save_revision().publish()
    ParticipationFactory(market=market)
    ParticipationFactory(market=market)
    ParticipationFactory(market=market, state=MarketParticipation.State.APPLIED)
    ParticipationFactory(market=market, vendor=VendorFactory(status=Vendor.Status.SUSPENDED))

    # when
    response = api_get(f"/markets/{market.pk}")

    # then
    assert response.status_code == 200
    payload = response.json()
    assert payload["vendor_count"] == 2
    assert [point["name"] for point in payload["pickup_points"]] == ["Halle Sud"]
    assert [item["id"] for item in payload["solidarity_projects"]] == [project.pk]
    assert payload["solidarity_projects"][0]["title"] == "Épicerie solidaire"


@pytest.mark.parametrize("market_id", ["999999", "0", "-1", "abc", str(2**70)])
def test_unknown_or_malformed_market_id_is_404_or_422(api_get, market_id):
    response = api_get(f"/markets/{market_id}")

    assert response.status_code in (404, 422)
    assert response.json()["detail"]


def test_unpublished_market_is_404(api_get):
    # given a market taken offline
    market = MarketPageFactory()
    market.unpublish()

    # when
    response = api_get(f"/markets/{market.pk}")

    # then
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "language, message", [("fr", "Marché introuvable."), ("en", "Market not found.")]
)
def test_errors_speak_the_readers_language(client, language, message):
    response = client.get("/api/v1/markets/987654", HTTP_ACCEPT_LANGUAGE=language)

    assert response.json() == {"detail": message}

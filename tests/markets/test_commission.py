"""Organisers type and read commission rates as percentages, for the market and, when a
vendor pays another rate, for that vendor; vendors see the rate that applies to them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from markets.fields import PercentField
from markets.models import Market, MarketParticipation
from markets.services import organiser_member_add
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    ParticipationFactory,
    UserFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("typed", "bps"), [
    ("5", 500), ("5,5", 550), ("5.25", 525), ("0", 0), ("50", 5000), (" 12,5 % ", 1250),
    ("7,50", 750),
])
def test_a_percentage_is_read_in_basis_points(typed, bps):
    assert PercentField().clean(typed) == bps


@pytest.mark.parametrize(("typed", "message"), [
    ("5,555", "deux décimales au plus"),
    ("50,01", "entre 0 et 50\u00a0%"),
    ("120", "entre 0 et 50\u00a0%"),
    ("-1", "par exemple 5 ou 5,5"),
    ("cinq", "par exemple 5 ou 5,5"),
    ("5,5,5", "par exemple 5 ou 5,5"),
])
def test_a_bad_percentage_is_refused_with_a_message(typed, message):
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        PercentField().clean(typed)

    assert message in refused.value.messages[0]


def test_a_rate_is_shown_as_the_organiser_types_it():
    with translation.override("fr"):
        assert PercentField().prepare_value(550) == "5,5"
    with translation.override("en"):
        assert PercentField().prepare_value(525) == "5.25"


@pytest.fixture
def organiser(client):
    index = MarketIndexPageFactory()
    user = UserFactory()
    organiser_member_add(organiser=index.organiser, user=user, index_page=index)
    client.force_login(user)
    return client, MarketPageFactory(parent=index, title="Marché de Noël du quai")


def publish(client, market, *, commission: str, participations=(), title=None):
    rows = [{"id": p.pk, "vendor": p.vendor_id, "state": p.state, "commission_bps": typed,
             "message": "", "ORDER": index, "DELETE": ""}
            for index, (p, typed) in enumerate(participations)]
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[market.pk]),
        nested_form_data({
            "title": title or market.title, "slug": market.slug, "intro": rich_text(""),
            "opens_at": market.opens_at.strftime("%Y-%m-%d %H:%M"),
            "closes_at": market.closes_at.strftime("%Y-%m-%d %H:%M"),
            "commission_bps": commission,
            "participations": inline_formset(rows, initial=len(rows)),
            "pickup_points": inline_formset([]),
            "action-publish": "publish",
        }),
    )


def test_the_organiser_types_the_market_rate_in_percent(organiser):
    client, market = organiser

    response = publish(client, market, commission="5,5")

    assert response.status_code == 302
    assert Market.objects.get(pk=market.pk).commission_bps == 550
    form = client.get(reverse("wagtailadmin_pages:edit", args=[market.pk])).content.decode()
    assert 'value="5,5"' in form
    assert "Commission (%)" in form


def test_a_bad_rate_is_refused_and_nothing_typed_is_lost(organiser):
    client, market = organiser

    response = publish(client, market, commission="5,555", title="Marché renommé")

    assert response.status_code == 200
    html = response.content.decode()
    assert "deux décimales au plus" in html
    assert 'value="5,555"' in html
    assert 'value="Marché renommé"' in html
    saved = Market.objects.get(pk=market.pk)
    assert (saved.commission_bps, saved.title) == (500, "Marché de Noël du quai")


def test_the_organiser_sets_a_vendor_rate_of_its_own(organiser):
    client, market = organiser
    association = ParticipationFactory(market=market, vendor=VendorFactory())
    shop = ParticipationFactory(market=market, vendor=VendorFactory(), commission_bps=300)
    other = ParticipationFactory(market=market, vendor=VendorFactory())

    response = publish(client, market, commission="5", participations=[
        (association, "0"), (shop, ""), (other, "2,5")])

    assert response.status_code == 302
    rates = dict(MarketParticipation.objects.filter(market=market)
                 .values_list("pk", "commission_bps"))
    assert rates == {association.pk: 0, shop.pk: None, other.pk: 250}


def test_a_bad_vendor_rate_is_refused(organiser):
    client, market = organiser
    participation = ParticipationFactory(market=market, vendor=VendorFactory())

    response = publish(client, market, commission="5",
                       participations=[(participation, "60")])

    assert response.status_code == 200
    assert "entre 0 et 50" in response.content.decode()
    assert MarketParticipation.objects.get(pk=participation.pk).commission_bps is None


def test_applications_show_each_vendor_rate(organiser, django_assert_max_num_queries):
    client, market = organiser
    Market.objects.filter(pk=market.pk).update(commission_bps=550)
    ParticipationFactory(market=market, vendor=VendorFactory(name="Ressourcerie du port"))
    ParticipationFactory(market=market, vendor=VendorFactory(name="Petite asso"),
                         commission_bps=0)
    url = reverse("applications:index")

    with django_assert_max_num_queries(30):
        html = client.get(url).content.decode()

    assert "5,5\u00a0%" in html
    assert "0\u00a0% (taux propre)" in html


def test_the_application_page_shows_the_vendor_rate(organiser):
    client, market = organiser
    participation = ParticipationFactory(market=market, commission_bps=250)

    html = client.get(reverse("applications:inspect", args=[participation.pk])).content
    assert "2,5\u00a0% (taux propre)" in html.decode()


def test_vendors_see_their_rate_on_their_dashboard(client, vendor_a,
                                                   django_assert_max_num_queries):
    ParticipationFactory(market=MarketPageFactory(title="Marché du centre",
                                                  commission_bps=500), vendor=vendor_a.vendor)
    ParticipationFactory(market=MarketPageFactory(title="Marché du port"),
                         vendor=vendor_a.vendor, commission_bps=150)
    client.force_login(vendor_a.user)

    with django_assert_max_num_queries(40):
        html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Marché du centre — Validé — commission 5\u00a0%" in html
    assert "Marché du port — Validé — commission 1,5\u00a0%" in html

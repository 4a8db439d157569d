"""Donated objects through their services: the offer, the vendor's decision, the money
rule (the project gets price − declared costs, the commission comes out of the costs)."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError

from shop.donations.models import DonatedObject
from shop.donations.photos import private_storage
from shop.donations.selectors import donation_projects, donation_status
from shop.donations.services import (
    Acceptance,
    DonationError,
    TooManyOffers,
    donation_accept,
    donation_decline,
)
from shop.money import LineInput, order_split
from tests.factories import SolidarityProjectPageFactory, category
from tests.shop.donations_helpers import DonationSetting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def setting():
    return DonationSetting()


def accept(donation, *, price=4000, costs=500, title="Lampe de bureau en laiton"):
    return donation_accept(donation=donation, acceptance=Acceptance(
        title=title, price_cents=price, condition="very_good",
        category=category(), costs_cents=costs))


def test_a_fixed_amount_per_unit_goes_to_the_project_and_the_commission_is_capped():
    # Given a donated object at 40,00 € with 5,00 € of costs, in an order with a 15 % share
    lines = [LineInput(4000, 1, 8750, 7, solidarity_unit_cents=3500),
             LineInput(1000, 2, 1500, 8)]
    # When the order is split at a 5 % commission
    split = order_split(lines=lines, shipping_cents=0, commission_bps=500)
    # Then the project gets exactly 35,00 € and every cent is shared out
    assert split.solidarity_by_project == {7: 3500, 8: 300}
    assert split.commission_cents == 300
    assert split.vendor_net_cents == 6000 - 3500 - 300 - 300


def test_an_offer_keeps_its_photos_privately_and_mails_the_follow_link(
        setting, django_capture_on_commit_callbacks):
    # When a person offers an object
    with django_capture_on_commit_callbacks(execute=True):
        donation = setting.offer()
    # Then it waits for the vendor, its photo out of the public media, the donor mailed
    assert donation.state == DonatedObject.State.OFFERED
    photo = donation.photos.get()
    assert private_storage().exists(photo.name)
    assert [message.to for message in mail.outbox] == [["camille@example.org"]]
    assert "/depot-solidaire/suivi/" in mail.outbox[0].body


def test_a_donor_chooses_among_the_vendors_and_its_markets_projects_only(setting):
    # Given a project the vendor's markets do not offer
    elsewhere = SolidarityProjectPageFactory(title="Projet d'un autre marché")
    own = SolidarityProjectPageFactory(title="Projet de la ressourcerie")
    setting.vendor.default_solidarity_project = own
    setting.vendor.save()
    # Then the donor may choose the market's and the vendor's own, not the other
    chosen = set(donation_projects(setting.vendor).values_list("pk", flat=True))
    assert chosen == {setting.project.pk, own.pk}
    with pytest.raises(ValidationError):
        setting.offer(project_id=elsewhere.pk)


def test_too_many_offers_from_one_address_are_refused(setting, settings):
    settings.DONATION_OFFERS_PER_EMAIL = 2
    setting.offer()
    setting.offer()
    with pytest.raises(TooManyOffers):
        setting.offer()
    assert DonatedObject.objects.count() == 2


def test_accepting_puts_a_unique_item_on_sale_for_the_donors_project(
        setting, django_capture_on_commit_callbacks):
    donation = setting.offer()
    mail.outbox.clear()
    # When the vendor accepts it at 40,00 € with 5,00 € of costs
    with django_capture_on_commit_callbacks(execute=True):
        product = accept(donation)
    # Then it is a product of the vendor, stock 1, on sale, 35,00 € for the donor's project
    assert (product.vendor, product.stock, product.is_active) == (setting.vendor, 1, True)
    assert product.solidarity_project_id == setting.project.pk
    assert product.solidarity_unit_cents == 3500
    assert product.images.count() == 1
    donation.refresh_from_db()
    assert donation.state == DonatedObject.State.ACCEPTED
    assert not donation.photos.exists()
    assert donation_status(donation).code == "on_sale"
    assert [message.to for message in mail.outbox] == [["camille@example.org"]]


def test_costs_must_cover_the_commission_and_leave_something_to_the_project(setting):
    donation = setting.offer()
    # 5 % of 40,00 € is 2,00 €: 1,00 € of costs would make the vendor pay to sell a gift
    with pytest.raises(DonationError, match="commission"):
        accept(donation, costs=100)
    with pytest.raises(DonationError, match="inférieurs au prix"):
        accept(donation, costs=4000)
    donation.refresh_from_db()
    assert donation.state == DonatedObject.State.OFFERED
    assert donation.product is None


def test_declining_mails_the_message_and_deletes_the_photos(
        setting, django_capture_on_commit_callbacks):
    donation = setting.offer()
    name = donation.photos.get().name
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        donation_decline(donation=donation, message="Nous avons déjà trop de lampes.")
    donation.refresh_from_db()
    assert donation_status(donation).code == "declined"
    assert not private_storage().exists(name)
    assert "Nous avons déjà trop de lampes." in mail.outbox[0].body
    with pytest.raises(DonationError):
        accept(donation)


def test_the_donor_is_told_of_the_sale_once_however_often_the_task_runs(
        setting, django_capture_on_commit_callbacks):
    from shop.donations.emails import donations_sold_send
    from tests.factories import paid_checkout

    # Given an accepted object bought in the market
    product = accept(setting.offer())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        checkout = paid_checkout([(product, 1)], market=setting.market)
    told = [message for message in mail.outbox if message.to == ["camille@example.org"]]
    assert len(told) == 1 and "35,00" in told[0].body

    # When the task runs again (a retry after a lost acknowledgement)
    # Then nothing more is sent
    assert donations_sold_send(checkout_id=checkout.pk) == 0
    assert len([m for m in mail.outbox if m.to == ["camille@example.org"]]) == 1

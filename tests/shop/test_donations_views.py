"""The donor's pages and « Objets confiés » in « Ma boutique », through HTTP: bad input
gets a French error and keeps nothing, robots and floods are turned away, and a vendor
never reaches another vendor's offers or their photos."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shop.donations.links import follow_token
from shop.donations.models import DonatedObject
from shop.donations.services import Acceptance, donation_accept
from tests.factories import category
from tests.helpers import count_queries
from tests.shop.donations_helpers import DonationSetting, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def setting():
    return DonationSetting("a")


def offer_data(setting, **fields):
    return {"description": "Un service à thé en porcelaine.", "condition_guess": "good",
            "photos": [photo_upload()], "project": setting.project.pk,
            "donor_name": "Camille", "donor_email": "camille@example.org", "gift": "on",
            "website": "", **fields}


def test_the_offer_page_lists_the_projects_and_needs_the_vendors_consent(client, setting):
    url = reverse("donations:offer", args=[setting.vendor.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert setting.project.title in page.content.decode()
    setting.vendor.accepts_donations = False
    setting.vendor.save()
    assert client.get(url).status_code == 404


def test_a_file_that_is_not_a_photo_gets_a_french_error_and_keeps_nothing(client, setting):
    fake = SimpleUploadedFile("lampe.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post(reverse("donations:offer", args=[setting.vendor.slug]),
                           offer_data(setting, photos=[fake]))
    assert response.status_code == 400
    assert "n&#x27;est pas une photo lisible" in response.content.decode()
    assert not DonatedObject.objects.exists()


def test_an_oversized_photo_is_refused(client, setting, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    response = client.post(reverse("donations:offer", args=[setting.vendor.slug]),
                           offer_data(setting))
    assert response.status_code == 400
    assert "trop lourde" in response.content.decode()
    assert not DonatedObject.objects.exists()


def test_a_robot_filling_the_hidden_field_is_thanked_and_nothing_is_kept(client, setting):
    response = client.post(reverse("donations:offer", args=[setting.vendor.slug]),
                           offer_data(setting, website="http://spam.example"))
    assert response.status_code == 302
    assert not DonatedObject.objects.exists()


def test_a_flood_from_one_connection_gets_429(client, setting, settings):
    settings.DONATION_OFFERS_PER_IP = 1
    url = reverse("donations:offer", args=[setting.vendor.slug])
    assert client.post(url, offer_data(setting)).status_code == 302
    second = client.post(url, offer_data(setting, donor_email="autre@example.org"))
    assert second.status_code == 429
    assert "Réessayez dans une heure" in second.content.decode()
    assert DonatedObject.objects.count() == 1


def test_the_offer_form_checks_csrf(setting):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("donations:offer", args=[setting.vendor.slug]),
                           offer_data(setting))
    assert response.status_code == 403


def test_a_forged_follow_link_shows_nothing(client, setting):
    donation = setting.offer()
    forged = follow_token(donation).replace(":", ":x", 1)
    response = client.get(reverse("donations:follow", args=[forged]))
    assert response.status_code == 404
    assert donation.description not in response.content.decode()
    good = client.get(reverse("donations:follow", args=[follow_token(donation)]))
    assert good["Cache-Control"] == "private, no-store"


def test_vendor_b_gets_404_on_vendor_as_offers_and_photos(client, setting):
    donation = setting.offer()
    photo = donation.photos.get()
    other = DonationSetting("b")
    client.force_login(other.owner)
    assert donation.description not in client.get(reverse("shop_donations")).content.decode()
    for url in (reverse("shop_donation", args=[donation.pk]),
                reverse("shop_donation_photo", args=[donation.pk, photo.pk])):
        assert client.get(url).status_code == 404
    refused = client.post(reverse("shop_donation_decline", args=[donation.pk]),
                          {"message": "Non"})
    assert refused.status_code == 404
    accepted = client.post(reverse("shop_donation", args=[donation.pk]), {
        "title": "Volé", "price": "10", "condition": "good", "category": category().pk,
        "costs": "1"})
    assert accepted.status_code == 404
    donation.refresh_from_db()
    assert donation.state == DonatedObject.State.OFFERED


def test_the_vendor_sees_its_offer_and_its_photo(client, setting):
    donation = setting.offer()
    photo = donation.photos.get()
    client.force_login(setting.owner)
    assert client.get(reverse("shop_donation", args=[donation.pk])).status_code == 200
    image = client.get(reverse("shop_donation_photo", args=[donation.pk, photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_a_bad_price_gets_a_french_error_and_the_offer_waits(client, setting):
    donation = setting.offer()
    client.force_login(setting.owner)
    response = client.post(reverse("shop_donation", args=[donation.pk]), {
        "title": "Service à thé", "price": "douze", "condition": "good",
        "category": category().pk, "costs": "0"})
    assert response.status_code == 400
    assert "Saisissez un nombre" in response.content.decode()
    donation.refresh_from_db()
    assert donation.state == DonatedObject.State.OFFERED


def test_someone_without_a_vendor_is_refused(client, setting):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="visiteur", is_staff=True))
    assert client.get(reverse("shop_donations")).status_code in (302, 403)


def test_the_list_does_not_grow_with_the_offers(client, setting, django_assert_max_num_queries):
    client.force_login(setting.owner)
    url = reverse("shop_donations")
    setting.offer()
    few = count_queries(client, url)
    for number in range(6):
        donation = setting.offer(donor_email=f"donateur{number}@example.org")
        if number % 2:
            donation_accept(donation=donation, acceptance=Acceptance(
                title=f"Objet {number}", price_cents=2000, condition="good",
                category=category(), costs_cents=200))

    # The offers, then the lines that sold their products: one query each, whatever
    # their number (the second is skipped while nothing was accepted, hence the one more).
    with django_assert_max_num_queries(few + 1):
        client.get(url)


def test_the_follow_page_costs_a_few_queries(client, setting, django_assert_max_num_queries):
    donation = setting.offer()
    # The object with its vendor, project and product; its sale; the session's basket.
    with django_assert_max_num_queries(6):
        client.get(reverse("donations:follow", args=[follow_token(donation)]))


def test_editing_a_donated_product_keeps_the_donors_project_and_the_costs(client, setting):
    from tests.factories import SolidarityProjectPageFactory
    from tests.shop.test_admin_products import NS, product_form

    # Given an accepted object at 40,00 € with 5,00 € of costs (its photos left aside)
    donation = setting.offer()
    donation.photos.all().delete()
    product = donation_accept(donation=donation, acceptance=Acceptance(
        title="Lampe", price_cents=4000, condition="good", category=category(),
        costs_cents=500))
    other = SolidarityProjectPageFactory(title="Un autre projet")
    client.force_login(setting.owner)
    url = reverse(f"{NS}:edit", args=[product.pk])

    # When the vendor raises the price and tries to send the share elsewhere
    response = client.post(url, product_form(title="Lampe", price="50,00",
                                             solidarity_percent="10",
                                             solidarity_project=other.pk))

    # Then the project is still the donor's and gets the new price less the same costs
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.solidarity_project_id == setting.project.pk
    assert product.solidarity_unit_cents == 4500

    # And a price below the costs is refused in French, nothing changed
    refused = client.post(url, product_form(title="Lampe", price="4,00"))
    assert refused.status_code == 200
    assert "au-dessus de vos frais déclarés" in refused.content.decode()
    product.refresh_from_db()
    assert (product.price_cents, product.solidarity_unit_cents) == (5000, 4500)

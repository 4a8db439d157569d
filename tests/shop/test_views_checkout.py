"""The checkout steps through HTTP: contact, fulfilment, project, donation, review and the
reservation that leads to the payment step."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shop.models import CartLine, Checkout, CheckoutFulfilment, LedgerEntry, Reservation
from shop.orders.completion import checkout_complete
from tests.factories import (
    MarketPageFactory,
    PickupPointFactory,
    SolidarityProjectPageFactory,
    VendorFactory,
    product_in_market,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

CONTACT = "/commande/coordonnees/"
FULFILMENT = "/commande/retrait-ou-livraison/"
PROJECT = "/commande/projet-solidaire/"
DONATION = "/commande/don/"
REVIEW = "/commande/recapitulatif/"
CONTACT_DATA = {"email": "lea@example.org", "first_name": "Léa", "last_name": "Durand",
                "phone": ""}
ADDRESS = {"shipping_name": "Léa Durand", "shipping_address": "3 rue des Lilas",
           "shipping_postcode": "44000", "shipping_city": "Nantes"}


def fill_basket(client, market, *products_and_quantities) -> None:
    for product, quantity in products_and_quantities:
        response = client.post(reverse("shop:basket_add"), {
            "market": market.pk, "product": product.pk, "quantity": quantity,
        })
        assert response.status_code == 302


def give_contact(client) -> Checkout:
    response = client.post(CONTACT, CONTACT_DATA)
    assert response.status_code == 302, response.content.decode()
    return Checkout.objects.get(pk=client.session["checkout_id"])


def choose_pickup(client, vendors, point) -> None:
    data = {"pickup": point.pk}
    for vendor in vendors:
        data[f"method_{vendor.pk}"] = "pickup"
    response = client.post(FULFILMENT, data)
    assert response.status_code == 302, response.content.decode()


def reach_review(client, market, *products_and_quantities, point=None) -> Checkout:
    fill_basket(client, market, *products_and_quantities)
    checkout = give_contact(client)
    point = point or market.pickup_points.first() or PickupPointFactory(market=market)
    choose_pickup(client, {product.vendor for product, _ in products_and_quantities}, point)
    return checkout


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def market():
    market = MarketPageFactory(commission_bps=500)
    PickupPointFactory(market=market, name="Halle aux Toiles")
    return market


@pytest.fixture
def project(market):
    """The one solidarity project the market supports: a donation goes to it."""
    project = SolidarityProjectPageFactory(title="Épicerie solidaire")
    market.solidarity_projects.add(project)
    market.save()
    return project


# Guards


def test_an_empty_basket_cannot_check_out(client):
    response = client.get(CONTACT, follow=True)

    assert response.redirect_chain[-1][0] == reverse("shop:basket")
    assert "Votre panier est vide." in messages_of(response)


def test_nothing_can_be_ordered_from_a_market_that_is_no_longer_open(client, market):
    # given
    fill_basket(client, market, (product_in_market(market), 1))
    market.is_paused = True
    market.save()

    # when
    response = client.get(CONTACT, follow=True)

    # then
    assert response.redirect_chain[-1][0] == reverse("shop:basket")
    assert ("Ce marché n’est pas ouvert : aucune commande ne peut y être passée pour l’instant."
            in messages_of(response))
    assert reverse("shop:checkout") not in response.content.decode()


@pytest.mark.parametrize("step", [FULFILMENT, PROJECT, DONATION, REVIEW])
def test_steps_after_the_contact_send_back_to_it(client, market, step):
    fill_basket(client, market, (product_in_market(market), 1))

    response = client.get(step, follow=True)

    assert response.redirect_chain[-1][0] == CONTACT
    assert "Indiquez d’abord vos coordonnées." in messages_of(response)


@pytest.mark.parametrize("step", [DONATION, REVIEW])
def test_steps_after_the_fulfilment_send_back_to_it(client, market, step):
    fill_basket(client, market, (product_in_market(market), 1))
    give_contact(client)

    response = client.get(step, follow=True)

    assert response.redirect_chain[-1][0] == FULFILMENT


def test_a_new_seller_in_the_basket_needs_its_fulfilment(client, market):
    # given
    first = product_in_market(market)
    reach_review(client, market, (first, 1))
    fill_basket(client, market, (product_in_market(market), 1))

    # when
    response = client.get(REVIEW)

    # then
    assert response["Location"] == FULFILMENT


def test_the_checkout_entry_goes_to_the_first_step_to_do(client, market):
    fill_basket(client, market, (product_in_market(market), 1))

    assert client.get("/commande/")["Location"] == CONTACT
    give_contact(client)
    assert client.get("/commande/")["Location"] == FULFILMENT


# Contact


def test_the_contact_step_needs_email_and_names(client, market):
    fill_basket(client, market, (product_in_market(market), 1))

    response = client.post(CONTACT, {"email": "pas-un-email", "first_name": "", "last_name": ""})

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"email", "first_name", "last_name"}
    assert not Checkout.objects.exists()
    assert "Corrigez les erreurs ci-dessous." in response.content.decode()


def test_the_contact_step_creates_one_checkout_and_reuses_it(client, market):
    # given
    product = product_in_market(market)
    fill_basket(client, market, (product, 1))

    # when
    first = give_contact(client)
    client.post(CONTACT, {**CONTACT_DATA, "phone": "06 12 34 56 78"})

    # then
    checkout = Checkout.objects.get()
    assert checkout.pk == first.pk
    assert checkout.cart == CartLine.objects.get().cart
    assert checkout.market_id == market.pk
    assert (checkout.email, checkout.phone) == ("lea@example.org", "06 12 34 56 78")
    assert client.get(CONTACT).context["form"]["email"].value() == "lea@example.org"


# Fulfilment


def test_pick_up_needs_a_point(client, market):
    product = product_in_market(market)
    fill_basket(client, market, (product, 1))
    give_contact(client)

    response = client.post(FULFILMENT, {f"method_{product.vendor_id}": "pickup"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"pickup": ["Choisissez un point de retrait."]}


def test_shipping_is_offered_only_by_sellers_who_ship_in_markets_that_allow_it(client):
    # given
    market = MarketPageFactory(shipping_allowed=True)
    point = PickupPointFactory(market=market)
    shipper = product_in_market(market, vendor=VendorFactory(ships=True, shipping_fee_cents=590))
    local = product_in_market(market, vendor=VendorFactory(ships=False))
    fill_basket(client, market, (shipper, 1), (local, 1))
    give_contact(client)

    # when
    page = client.get(FULFILMENT)
    client.post(FULFILMENT, {
        f"method_{shipper.vendor_id}": "shipping", f"method_{local.vendor_id}": "shipping",
        "pickup": point.pk, **ADDRESS,
    })

    # then the seller who does not ship is collected whatever is posted
    html = page.content.decode()
    assert "Livraison (5,90\u00a0€)" in html
    assert html.count('value="shipping"') == 1
    assert f'name="method_{local.vendor_id}"' not in html
    assert CheckoutFulfilment.objects.get(vendor_id=local.vendor_id).method == "pickup"


def test_shipping_needs_an_address(client):
    market = MarketPageFactory(shipping_allowed=True)
    PickupPointFactory(market=market)
    product = product_in_market(market, vendor=VendorFactory(ships=True, shipping_fee_cents=490))
    fill_basket(client, market, (product, 1))
    give_contact(client)

    response = client.post(FULFILMENT, {f"method_{product.vendor_id}": "shipping",
                                        "shipping_postcode": "440"})

    errors = response.context["form"].errors
    assert set(errors) == {"shipping_name", "shipping_address", "shipping_postcode",
                           "shipping_city"}
    assert errors["shipping_postcode"] == ["Saisissez un code postal français à 5 chiffres."]


def test_a_market_without_shipping_offers_pick_up_only(client, market):
    product = product_in_market(market, vendor=VendorFactory(ships=True, shipping_fee_cents=490))
    fill_basket(client, market, (product, 1))
    give_contact(client)

    html = client.get(FULFILMENT).content.decode()

    assert 'value="shipping"' not in html
    assert f'name="method_{product.vendor_id}"' not in html


def test_fulfilment_choices_are_saved_per_vendor_and_shipping_is_charged(client):
    # given
    market = MarketPageFactory(shipping_allowed=True, commission_bps=0)
    point = PickupPointFactory(market=market, name="Halle aux Toiles")
    shipper = product_in_market(market, price_cents=2000,
                                vendor=VendorFactory(ships=True, shipping_fee_cents=590))
    local = product_in_market(market, price_cents=1000)
    fill_basket(client, market, (shipper, 1), (local, 1))
    checkout = give_contact(client)

    # when
    response = client.post(FULFILMENT, {
        f"method_{shipper.vendor_id}": "shipping", f"method_{local.vendor_id}": "pickup",
        "pickup": point.pk, **ADDRESS,
    })

    # then (the market supports no project: no donation step)
    assert response["Location"] == REVIEW
    rows = {row.vendor_id: row for row in CheckoutFulfilment.objects.filter(checkout=checkout)}
    assert rows[shipper.vendor_id].method == "shipping"
    assert rows[shipper.vendor_id].shipping_city == "Nantes"
    assert rows[local.vendor_id].method == "pickup"
    assert rows[local.vendor_id].pickup_point_id == point.pk
    review = client.get(REVIEW)
    assert review.context["review"].total_cents == 2000 + 590 + 1000
    html = review.content.decode()
    assert "5,90\u00a0€ — Léa Durand, 3 rue des Lilas, 44000 Nantes" in html
    assert "Halle aux Toiles" in html


# Project


def test_the_project_step_is_skipped_when_every_share_has_its_project(client, market):
    project = SolidarityProjectPageFactory()
    market.solidarity_projects.add(project)
    market.save()
    product = product_in_market(market, solidarity_bps=1000, solidarity_project=project)
    fill_basket(client, market, (product, 1), (product_in_market(market, solidarity_bps=0), 1))
    give_contact(client)

    response = client.post(FULFILMENT, {"pickup": market.pickup_points.first().pk})

    assert response["Location"] == DONATION
    assert client.get(PROJECT)["Location"] == DONATION
    assert f'href="{PROJECT}"' not in client.get(DONATION).content.decode()


def test_the_shopper_chooses_the_project_of_shares_without_one(client, market):
    # given
    chosen = SolidarityProjectPageFactory(title="Épicerie solidaire")
    other = SolidarityProjectPageFactory(title="Atelier vélo")
    market.solidarity_projects.add(chosen, other)
    market.save()
    product = product_in_market(market, price_cents=5000, solidarity_bps=1000)
    fill_basket(client, market, (product, 1))
    give_contact(client)
    choose_pickup(client, [product.vendor], market.pickup_points.first())

    # when
    skipped_to_review = client.get(REVIEW)
    missing = client.post(PROJECT, {})
    response = client.post(PROJECT, {"project": chosen.pk})

    # then
    assert skipped_to_review["Location"] == PROJECT
    assert missing.context["form"].errors == {"project": ["Choisissez un projet."]}
    assert response["Location"] == DONATION
    assert Checkout.objects.get().chosen_project_id == chosen.pk
    html = client.get(REVIEW).content.decode()
    assert "5,00\u00a0€ de ce montant vont à Épicerie solidaire" in html


def test_a_project_outside_the_market_cannot_be_chosen(client, market):
    market.solidarity_projects.add(SolidarityProjectPageFactory())
    market.save()
    elsewhere = SolidarityProjectPageFactory()
    product = product_in_market(market, solidarity_bps=1000)
    fill_basket(client, market, (product, 1))
    give_contact(client)
    choose_pickup(client, [product.vendor], market.pickup_points.first())

    response = client.post(PROJECT, {"project": elsewhere.pk})

    assert response.status_code == 200
    assert Checkout.objects.get().chosen_project_id is None


# Donation


def test_rounding_up_gives_what_reaches_the_next_euro(client, market, project):
    # given
    product = product_in_market(market, price_cents=1265, stock=2)
    reach_review(client, market, (product, 2))

    # when
    page = client.get(DONATION)
    response = client.post(DONATION, {"choice": "round_up", "project": project.pk})

    # then
    assert "Arrondir à l’euro supérieur (+ 0,70\u00a0€)" in page.content.decode()
    assert response["Location"] == REVIEW
    checkout = Checkout.objects.get()
    assert checkout.donation_round_up is True
    assert checkout.donation_cents == 0
    review = client.get(REVIEW).context["review"]
    assert (review.donation_cents, review.total_cents) == (70, 2600)


def test_a_free_donation_in_euros(client, market, project):
    reach_review(client, market, (product_in_market(market, price_cents=1000), 1))

    client.post(DONATION, {"choice": "amount", "amount": "2,50", "project": project.pk})

    checkout = Checkout.objects.get()
    assert (checkout.donation_round_up, checkout.donation_cents) == (False, 250)
    assert client.get(REVIEW).context["review"].total_cents == 1250
    assert client.get(DONATION).context["form"]["amount"].value() == "2,50"


@pytest.mark.parametrize(("amount", "error"), [
    ("500,01", "Un don est de 500 € au plus."),
    ("abc", "Saisissez un montant en euros, par exemple 5 ou 2,50."),
    ("0", "Saisissez un montant supérieur à 0 €."),
])
def test_a_free_donation_is_checked(client, market, project, amount, error):
    reach_review(client, market, (product_in_market(market), 1))

    response = client.post(DONATION, {"choice": "amount", "amount": amount,
                                      "project": project.pk})

    assert response.context["form"].errors == {"amount": [error]}
    assert Checkout.objects.get().donation_cents == 0


def test_no_donation_clears_an_earlier_one(client, market, project):
    reach_review(client, market, (product_in_market(market), 1))
    client.post(DONATION, {"choice": "round_up", "project": project.pk})

    client.post(DONATION, {"choice": "none"})

    checkout = Checkout.objects.get()
    assert (checkout.donation_round_up, checkout.donation_cents) == (False, 0)


def test_the_shopper_chooses_the_project_of_a_donation_when_no_share_asked_for_one(
    client, market
):
    # given a basket whose share has its own project: the project step is skipped
    grocery = SolidarityProjectPageFactory(title="Épicerie solidaire")
    bikes = SolidarityProjectPageFactory(title="Atelier vélo")
    market.solidarity_projects.add(grocery, bikes)
    market.save()
    product = product_in_market(market, price_cents=2000, solidarity_bps=1000,
                                solidarity_project=grocery)
    reach_review(client, market, (product, 1))

    # when
    page = client.get(DONATION)
    without_project = client.post(DONATION, {"choice": "amount", "amount": "5"})
    refused = Checkout.objects.get()
    response = client.post(DONATION, {"choice": "amount", "amount": "5", "project": bikes.pk})

    # then the step asks, in a labelled group, and needs an answer to take the donation
    html = page.content.decode()
    assert "<legend>À quel projet va votre don ?</legend>" in html
    assert f'name="project" value="{bikes.pk}"' in html
    assert "checked" not in html.split("<legend>À quel projet va votre don ?</legend>")[1]
    assert without_project.status_code == 200
    assert without_project.context["form"].errors == {
        "project": ["Choisissez le projet qui reçoit votre don."]
    }
    assert 'aria-describedby="id_project_error"' in without_project.content.decode()
    assert (refused.donation_cents, refused.chosen_project_id) == (0, None)
    assert response["Location"] == REVIEW
    checkout = Checkout.objects.get()
    assert (checkout.donation_cents, checkout.chosen_project_id) == (500, bikes.pk)
    assert "5,00\xa0€ pour Atelier vélo" in client.get(REVIEW).content.decode()


def test_the_only_project_of_the_market_is_preselected(client, market, project):
    reach_review(client, market, (product_in_market(market), 1))

    form = client.get(DONATION).context["form"]

    assert form["project"].value() == project.pk
    assert f'value="{project.pk}" id="id_project_0" checked' in str(form["project"])


def test_a_round_up_needs_a_project_too(client, market, project):
    reach_review(client, market, (product_in_market(market), 1))

    response = client.post(DONATION, {"choice": "round_up"})

    assert response.context["form"].errors == {
        "project": ["Choisissez le projet qui reçoit votre don."]
    }
    assert Checkout.objects.get().donation_round_up is False


def test_a_project_outside_the_market_cannot_receive_the_donation(client, market, project):
    elsewhere = SolidarityProjectPageFactory()
    reach_review(client, market, (product_in_market(market), 1))

    response = client.post(DONATION, {"choice": "amount", "amount": "5",
                                      "project": elsewhere.pk})

    assert set(response.context["form"].errors) == {"project"}
    checkout = Checkout.objects.get()
    assert (checkout.donation_cents, checkout.chosen_project_id) == (0, None)


def test_the_donation_goes_to_the_project_chosen_for_the_share(client, market):
    # given
    chosen = SolidarityProjectPageFactory(title="Épicerie solidaire")
    market.solidarity_projects.add(chosen, SolidarityProjectPageFactory(title="Atelier vélo"))
    market.save()
    product = product_in_market(market, solidarity_bps=1000)
    reach_review(client, market, (product, 1))
    client.post(PROJECT, {"project": chosen.pk})

    # when
    page = client.get(DONATION)
    response = client.post(DONATION, {"choice": "round_up"})

    # then
    assert "project" not in page.context["form"].fields
    assert "Votre don ira à Épicerie solidaire" in page.content.decode()
    assert response["Location"] == REVIEW
    checkout = Checkout.objects.get()
    assert (checkout.donation_round_up, checkout.chosen_project_id) == (True, chosen.pk)


def test_a_market_without_project_offers_no_donation(client, market):
    # given
    product = product_in_market(market, price_cents=1265)
    fill_basket(client, market, (product, 1))
    give_contact(client)

    # when
    after_fulfilment = client.post(FULFILMENT, {
        f"method_{product.vendor_id}": "pickup", "pickup": market.pickup_points.first().pk,
    })
    page = client.get(DONATION)
    posted = client.post(DONATION, {"choice": "amount", "amount": "5"})

    # then
    assert after_fulfilment["Location"] == REVIEW
    assert page["Location"] == REVIEW
    assert posted["Location"] == REVIEW
    checkout = Checkout.objects.get()
    assert (checkout.donation_cents, checkout.donation_round_up) == (0, False)
    review = client.get(REVIEW)
    assert review.context["review"].total_cents == 1265
    assert f'href="{DONATION}"' not in review.content.decode()


def test_the_review_sends_a_donation_without_project_back_to_its_step(client, market, project):
    # given a donation saved before its project could be chosen
    reach_review(client, market, (product_in_market(market), 1))
    Checkout.objects.update(donation_cents=500, chosen_project=None)

    # when
    response = client.get(REVIEW, follow=True)

    # then
    assert response.redirect_chain[-1][0] == DONATION
    assert "Choisissez d’abord le projet qui reçoit votre don." in messages_of(response)
    assert client.post(REVIEW, {"terms": "on"})["Location"] == DONATION
    assert Checkout.objects.get().state == Checkout.State.OPEN


def test_a_paid_donation_is_booked_to_the_project_chosen_at_the_donation_step(client, market):
    # given a market with two projects and a basket that gives no share
    grocery = SolidarityProjectPageFactory(title="Épicerie solidaire")
    bikes = SolidarityProjectPageFactory(title="Atelier vélo")
    market.solidarity_projects.add(grocery, bikes)
    market.save()
    checkout = reach_review(client, market, (product_in_market(market, price_cents=1000), 1))
    client.post(DONATION, {"choice": "amount", "amount": "4", "project": bikes.pk})
    client.post(REVIEW, {"terms": "on"})

    # when the payment succeeds
    checkout_complete(checkout=checkout)

    # then
    donation = LedgerEntry.objects.get(checkout=checkout, kind=LedgerEntry.Kind.DONATION)
    assert (donation.amount_cents, donation.project_id) == (400, bikes.pk)


# Review


def test_the_review_shows_each_seller_with_its_identity_and_withdrawal_notice(client, market):
    # given
    pro = VendorFactory(name="Recyclerie Pro", legal_form=Vendor.LegalForm.COOPERATIVE,
                        is_professional=True, siret="73282932000074", city="Rezé")
    asso = VendorFactory(name="Les Amis du Réemploi", legal_form=Vendor.LegalForm.ASSOCIATION,
                         is_professional=False, siret="", rna="W442012345", city="Nantes")
    reach_review(client, market, (product_in_market(market, vendor=pro, title="Radio"), 1),
                 (product_in_market(market, vendor=asso, title="Plaid"), 1))

    # when
    html = client.get(REVIEW).content.decode()

    # then
    pro_part, asso_part = html.split("Vendu par Recyclerie Pro")[1].split(
        "Vendu par Les Amis du Réemploi")
    assert "Radio" in pro_part and "Coopérative" in pro_part
    assert "73282932000074" in pro_part and "Rezé" in pro_part
    assert ("Ce vendeur est un professionnel : vous disposez d’un droit de rétractation de "
            "14 jours") in pro_part
    assert "Plaid" in asso_part and "W442012345" in asso_part
    assert "le droit légal de rétractation ne s’applique pas" in asso_part
    assert "Total à payer" in html


def test_the_review_needs_the_terms(client, market):
    reach_review(client, market, (product_in_market(market), 1))

    response = client.post(REVIEW, {})

    assert response.status_code == 200
    assert "Acceptez les conditions générales de vente pour passer au paiement." in (
        response.content.decode())
    checkout = Checkout.objects.get()
    assert checkout.terms_accepted_at is None
    assert checkout.state == Checkout.State.OPEN


def test_confirming_reserves_the_units_and_goes_to_the_payment(client, market):
    # given
    product = product_in_market(market, price_cents=1800, stock=3)
    checkout = reach_review(client, market, (product, 2))

    # when
    response = client.post(REVIEW, {"terms": "on"})

    # then
    checkout.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:pay", args=[checkout.reference])
    assert checkout.state == Checkout.State.RESERVED
    assert checkout.terms_accepted_at is not None
    assert checkout.total_cents == 3600
    assert Reservation.objects.get(checkout=checkout).quantity == 2


def test_an_item_gone_meanwhile_is_reported_and_the_rest_kept(client, market):
    # given
    vase = product_in_market(market, title="Vase bleu", stock=3)
    lamp = product_in_market(market, title="Lampe", stock=1)
    kept = product_in_market(market, title="Carafe")
    reach_review(client, market, (vase, 3), (lamp, 1), (kept, 1))
    others = Checkout.objects.create(market=market)
    expires_at = timezone.now() + timedelta(minutes=10)
    Reservation.objects.create(product=vase, checkout=others, quantity=2, expires_at=expires_at)
    Reservation.objects.create(product=lamp, checkout=others, quantity=1, expires_at=expires_at)

    # when
    response = client.post(REVIEW, {"terms": "on"}, follow=True)

    # then
    assert response.redirect_chain == [(REVIEW, 302)]
    notices = messages_of(response)
    assert "« Vase bleu » : il n’en reste que 1 ; votre panier le contient désormais." in notices
    assert "« Lampe » : il n’en reste plus ; il a été retiré de votre panier." in notices
    assert {line.product_id: line.quantity for line in CartLine.objects.all()} == {
        vase.pk: 1, kept.pk: 1,
    }
    html = response.content.decode()
    assert "Carafe" in html and "Vase bleu" in html

    # and confirming again goes on to the payment with what is left
    again = client.post(REVIEW, {"terms": "on"})
    checkout = Checkout.objects.get(pk=client.session["checkout_id"])
    assert again["Location"] == reverse("payments:pay", args=[checkout.reference])
    assert {line.product_id: line.quantity for line in checkout.lines.all()} == {
        vase.pk: 1, kept.pk: 1,
    }


def test_going_back_to_a_step_after_reserving_releases_the_units(client, market, project):
    product = product_in_market(market, stock=1)
    reach_review(client, market, (product, 1))
    client.post(REVIEW, {"terms": "on"})

    client.post(DONATION, {"choice": "round_up", "project": project.pk})

    checkout = Checkout.objects.get()
    assert checkout.state == Checkout.State.OPEN
    assert not Reservation.objects.exists()


def test_checkout_pages_load_no_script(client, market, project):
    product = product_in_market(market)
    reach_review(client, market, (product, 1))

    for url in (CONTACT, FULFILMENT, DONATION, REVIEW):
        response = client.get(url)
        assert response.status_code == 200
        assert "<script" not in response.content.decode()


def test_the_review_links_the_terms_of_sale_page_chosen_in_the_settings(client):
    from wagtail.models import Site

    from cms.models import ShopSettings, StandardPage
    from tests.factories import home_page

    terms = StandardPage(title="Conditions générales de vente", slug="cgv")
    home_page().add_child(instance=terms)
    settings = ShopSettings.for_site(Site.objects.get(is_default_site=True))
    settings.terms_page = terms
    settings.save()
    market = MarketPageFactory()
    product = product_in_market(market, stock=1)
    client.post(reverse("shop:basket_add"), {"market": market.pk, "product": product.pk,
                                              "quantity": 1})
    client.post(reverse("shop:checkout_contact"), {
        "email": "lea@example.org", "first_name": "Léa", "last_name": "Durand", "phone": ""})
    point = PickupPointFactory(market=market)
    client.post(reverse("shop:checkout_fulfilment"), {
        f"method_{product.vendor_id}": "pickup", "pickup": point.pk})
    client.post(reverse("shop:checkout_donation"), {"choice": "none"})

    html = client.get(reverse("shop:checkout_review")).content.decode()

    assert 'href="/cgv/"' in html

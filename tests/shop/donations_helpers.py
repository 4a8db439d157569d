"""Shared set-up of the donated-object tests: a ressourcerie taking donations in an open
market with a project, and an offer made through the services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from shop.donations.models import DonatedObject
from shop.donations.services import Offer, donation_offer
from tests.factories import (
    MarketPageFactory,
    ParticipationFactory,
    PickupPointFactory,
    SolidarityProjectPageFactory,
    UserFactory,
    VendorFactory,
    make_image_file,
)
from vendors.services import vendor_member_add


def photo_upload(name="objet.png", colour=(30, 90, 160)) -> SimpleUploadedFile:
    image = make_image_file(colour=colour, name=name)
    return SimpleUploadedFile(name, image.read(), content_type="image/png")


class DonationSetting:
    """An open market (5 % commission) with a project, and a vendor of it that takes
    donated objects, its owner able to reach the back office."""

    def __init__(self, name="ile", commission_bps=500):
        self.market = MarketPageFactory(commission_bps=commission_bps)
        PickupPointFactory(market=self.market)
        self.project = SolidarityProjectPageFactory(title=f"Vélos solidaires {name}")
        self.market.solidarity_projects.add(self.project)
        self.market.save_revision().publish()
        self.vendor = VendorFactory(name=f"Ressourcerie {name}", slug=f"ressourcerie-{name}",
                                    email=f"{name}@example.org", accepts_donations=True)
        ParticipationFactory(market=self.market, vendor=self.vendor)
        self.owner = UserFactory(username=f"vendeur-{name}")
        vendor_member_add(vendor=self.vendor, user=self.owner)

    def offer(self, **fields) -> DonatedObject:
        offer = Offer(**{"donor_name": "Camille Martin", "donor_email": "camille@example.org",
                         "description": "Une lampe de bureau en laiton, années 60.",
                         "condition_guess": "good", "project_id": self.project.pk, **fields})
        return donation_offer(vendor=self.vendor, offer=offer, photos=[photo_upload()],
                              client_ip="192.0.2.10", language="fr")

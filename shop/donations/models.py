"""Donated objects (« dépôt solidaire »): a person without an account offers an object to a
vendor, who sells it for the solidarity project the person chose, or declines it."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.catalogue.models import Product


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class DonatedObject(models.Model):
    """An object offered to a vendor. Once accepted it is a unique product of the vendor's
    catalogue whose proceeds, less the costs the vendor declared, go to `project`."""

    class State(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    vendor = models.ForeignKey("vendors.Vendor", verbose_name=_("vendor"),
                               on_delete=models.CASCADE, related_name="donated_objects")
    project = models.ForeignKey("markets.SolidarityProject",
                                verbose_name=_("solidarity project"),
                                on_delete=models.PROTECT, related_name="donated_objects")
    donor_name = models.CharField(_("donor's name"), max_length=120)
    donor_email = models.EmailField(_("donor's e-mail"))
    description = models.TextField(_("description"))
    condition_guess = models.CharField(_("condition according to the donor"), max_length=20,
                                       choices=Product.Condition.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.OFFERED, db_index=True)
    product = models.OneToOneField(Product, verbose_name=_("product"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="donation")
    declared_costs_cents = models.PositiveIntegerField(_("declared costs (cents)"), default=0)
    decline_message = models.TextField(_("message to the donor"), blank=True)
    # Signed into the donor's follow-up link with the row's id (`shop.donations.links`).
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(_("offered"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    sold_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("donated object")
        verbose_name_plural = _("donated objects")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.description[:60]


class DonatedPhoto(models.Model):
    """A photo of an offered object, kept in the private storage (never under a public
    address) until the vendor accepts the object; then it becomes a product image."""

    donation = models.ForeignKey(DonatedObject, on_delete=models.CASCADE,
                                 related_name="photos")
    # A random name in the private storage (`shop.donations.photos`).
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

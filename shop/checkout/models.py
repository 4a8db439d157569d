"""Basket, checkout and reservations: what a shopper holds until paying."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "MS-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class Cart(models.Model):
    """A shopper's basket in one market, kept in the session."""

    session_key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="carts",
    )
    market = models.ForeignKey(
        "markets.Market", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("basket")
        verbose_name_plural = _("baskets")

    def __str__(self) -> str:
        return f"basket {self.pk}"



class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("shop.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(default=1)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="unique_cart_product"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="cartline_qty_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"



class Checkout(models.Model):
    """The shopper's one payment for one basket: contact, fulfilment per vendor, the
    project chosen, an optional donation and the amount charged."""

    class State(models.TextChoices):
        OPEN = "open", _("Being filled in")
        RESERVED = "reserved", _("Awaiting payment")
        PAID = "paid", _("Paid")
        ABANDONED = "abandoned", _("Abandoned")

    reference = models.CharField(_("reference"), max_length=20, unique=True,
                                 default=new_reference, editable=False)
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    cart = models.ForeignKey(Cart, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="checkouts")
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.OPEN, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    chosen_project = models.ForeignKey(
        "markets.SolidarityProject", verbose_name=_("project chosen by the shopper"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    donation_cents = models.PositiveIntegerField(_("extra donation (cents)"), default=0)
    donation_round_up = models.BooleanField(_("round up to the next euro"), default=False)
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    total_cents = models.PositiveIntegerField(_("total charged (cents)"), default=0)
    # Frozen by each reservation, with the lines: what the payment of this revision is for.
    # A payment started for an earlier revision no longer matches and is refunded.
    revision = models.PositiveIntegerField(default=0)
    frozen_donation_cents = models.PositiveIntegerField(default=0)
    gateway = models.CharField(max_length=20, blank=True)
    payment_reference = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    # The shopper asked for their personal data to be erased: contact and addresses are
    # blank from then on; amounts, references and dates stay for the accounts.
    personal_data_erased_at = models.DateTimeField(_("personal data erased"), null=True,
                                                   blank=True)

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")
        ordering = ["-created_at"]
        # « Retrouver mes commandes » looks checkouts up by e-mail, whatever its case.
        indexes = [models.Index(Upper("email"), name="checkout_email_upper")]

    def __str__(self) -> str:
        return self.reference

    @property
    def shopper_name(self) -> str:
        """The shopper's name as the back office and receipts show it, or why there is none."""
        if self.personal_data_erased_at:
            return gettext("Erased at the shopper's request")
        return f"{self.first_name} {self.last_name}".strip()


class CheckoutFulfilment(models.Model):
    """How the shopper gets one vendor's items: a pick-up point or shipping."""

    class Method(models.TextChoices):
        PICKUP = "pickup", _("Pick-up")
        SHIPPING = "shipping", _("Shipping")

    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="fulfilments")
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.PICKUP)
    pickup_point = models.ForeignKey("markets.PickupPoint", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    pickup_slot = models.ForeignKey("markets.PickupSlot", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    shipping_name = models.CharField(_("name"), max_length=200, blank=True)
    shipping_address = models.CharField(_("address"), max_length=255, blank=True)
    shipping_postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    shipping_city = models.CharField(_("city"), max_length=100, blank=True)
    frozen_shipping_cents = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkout", "vendor"], name="unique_fulfilment"),
        ]

    def __str__(self) -> str:
        return f"{self.checkout_id}/{self.vendor_id}: {self.method}"



class CheckoutLine(models.Model):
    """A basket line frozen when the shopper enters the payment step."""

    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("shop.Product", on_delete=models.PROTECT, related_name="+")
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price_cents = models.PositiveIntegerField()
    solidarity_bps = models.PositiveIntegerField(default=0)
    solidarity_project = models.ForeignKey("markets.SolidarityProject", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    # A fixed amount per unit for the project instead of the share (a donated object).
    solidarity_unit_cents = models.PositiveIntegerField(null=True, blank=True)
    # The vendor's rate in the market when the reservation froze the amounts.
    commission_bps = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["vendor_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["checkout", "product"], name="unique_checkout_line"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"



class Reservation(models.Model):
    """Units of a product held for a checkout until `expires_at`. Available stock is the
    stock minus the unexpired reservations."""

    product = models.ForeignKey("shop.Product", on_delete=models.CASCADE,
                                related_name="reservations")
    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="reservations")
    quantity = models.PositiveIntegerField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkout", "product"], name="unique_reservation"),
        ]
        indexes = [models.Index(fields=["product", "expires_at"], name="reservation_live")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id} until {self.expires_at}"

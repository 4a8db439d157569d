"""Basket, checkout, reservations, vendor orders and the ledger of every cent."""

import secrets

from django.conf import settings
from django.db import models
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
        "cms.MarketPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
    market = models.ForeignKey("cms.MarketPage", on_delete=models.PROTECT, related_name="+")
    cart = models.ForeignKey(Cart, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="checkouts")
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.OPEN, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    chosen_project = models.ForeignKey(
        "cms.SolidarityProjectPage", verbose_name=_("project chosen by the shopper"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    donation_cents = models.PositiveIntegerField(_("extra donation (cents)"), default=0)
    donation_round_up = models.BooleanField(_("round up to the next euro"), default=False)
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    total_cents = models.PositiveIntegerField(_("total charged (cents)"), default=0)
    # Frozen by each reservation, with the lines: what the payment of this revision is for.
    # A payment started for an earlier revision no longer matches and is refunded.
    revision = models.PositiveIntegerField(default=0)
    frozen_commission_bps = models.PositiveIntegerField(null=True, blank=True)
    frozen_donation_cents = models.PositiveIntegerField(default=0)
    gateway = models.CharField(max_length=20, blank=True)
    payment_reference = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class CheckoutFulfilment(models.Model):
    """How the shopper gets one vendor's items: a pick-up point or shipping."""

    class Method(models.TextChoices):
        PICKUP = "pickup", _("Pick-up")
        SHIPPING = "shipping", _("Shipping")

    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="fulfilments")
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.PICKUP)
    pickup_point = models.ForeignKey("cms.PickupPoint", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
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
    solidarity_project = models.ForeignKey("cms.SolidarityProjectPage", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")

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



class Order(models.Model):
    """One vendor's part of a checkout: the vendor's source of truth for fulfilment."""

    class State(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
        PAID = "paid", _("To prepare")
        READY = "ready", _("Ready")
        FULFILLED = "fulfilled", _("Handed over")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")

    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="orders")
    number = models.CharField(_("number"), max_length=30, unique=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.PENDING_PAYMENT, db_index=True)
    fulfilment_method = models.CharField(_("fulfilment"), max_length=10,
                                         choices=CheckoutFulfilment.Method.choices)
    pickup_point = models.ForeignKey("cms.PickupPoint", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="orders")
    shipping_address = models.TextField(_("shipping address"), blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    shipping_cents = models.PositiveIntegerField(default=0)
    gross_cents = models.PositiveIntegerField(default=0)
    commission_cents = models.PositiveIntegerField(default=0)
    solidarity_cents = models.PositiveIntegerField(default=0)
    vendor_net_cents = models.PositiveIntegerField(default=0)
    refunded_cents = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    vendor_notified_at = models.DateTimeField(null=True, blank=True)
    disputed_at = models.DateTimeField(
        _("disputed"), null=True, blank=True,
        help_text=_("When the cardholder opened a dispute with their bank."),
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["checkout", "vendor"], name="unique_vendor_order"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("shop.Product", null=True, on_delete=models.SET_NULL,
                                related_name="+")
    title = models.CharField(max_length=200)
    unit_price_cents = models.PositiveIntegerField()
    quantity = models.PositiveIntegerField()
    cancelled_quantity = models.PositiveIntegerField(default=0)
    solidarity_bps = models.PositiveIntegerField(default=0)
    solidarity_project = models.ForeignKey("cms.SolidarityProjectPage", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    solidarity_cents = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(cancelled_quantity__lte=models.F("quantity")),
                                   name="orderline_cancel_lte_qty"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"

    @property
    def total_cents(self) -> int:
        return self.unit_price_cents * self.quantity



class LedgerEntry(models.Model):
    """Where a cent of a paid checkout goes. For every checkout the entries sum to the
    amount charged (refunds are negative entries)."""

    class Kind(models.TextChoices):
        VENDOR_NET = "vendor_net", _("Vendor net")
        COMMISSION = "commission", _("Commission")
        SOLIDARITY = "solidarity", _("Solidarity share")
        DONATION = "donation", _("Shopper donation")
        PAYMENT_FEES = "payment_fees", _("Payment fees")
        REFUND = "refund", _("Refund")

    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="ledger")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="ledger")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount_cents = models.IntegerField()
    vendor = models.ForeignKey("vendors.Vendor", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("cms.SolidarityProjectPage", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="ledger_entries")
    memo = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_cents}"


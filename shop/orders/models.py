"""Vendor orders, their lines and the ledger of every cent."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.checkout.models import CheckoutFulfilment
from shop.orders.ledger_version import ledger_changed
from shop.orders.tracking import Carrier, tracking_url


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

    checkout = models.ForeignKey("shop.Checkout", on_delete=models.PROTECT, related_name="orders")
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="orders")
    number = models.CharField(_("number"), max_length=30, unique=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.PENDING_PAYMENT, db_index=True)
    fulfilment_method = models.CharField(_("fulfilment"), max_length=10,
                                         choices=CheckoutFulfilment.Method.choices)
    pickup_point = models.ForeignKey("markets.PickupPoint", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="orders")
    pickup_slot = models.ForeignKey("markets.PickupSlot", verbose_name=_("pick-up slot"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="orders")
    shipping_address = models.TextField(_("shipping address"), blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    carrier = models.CharField(_("carrier"), max_length=20, blank=True,
                               choices=Carrier.choices)
    shipped_email_sent_at = models.DateTimeField(null=True, blank=True)
    shipping_cents = models.PositiveIntegerField(default=0)
    gross_cents = models.PositiveIntegerField(default=0)
    commission_cents = models.PositiveIntegerField(default=0)
    commission_bps = models.PositiveIntegerField(_("commission rate (basis points)"), default=0)
    solidarity_cents = models.PositiveIntegerField(default=0)
    vendor_net_cents = models.PositiveIntegerField(default=0)
    refunded_cents = models.PositiveIntegerField(default=0)
    # The seller's VAT situation when the order was paid, for its receipt: the rate its
    # prices include (none: not subject to VAT) and its VAT number.
    vat_rate_bps = models.PositiveIntegerField(_("VAT rate (basis points)"), null=True,
                                               blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
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

    @property
    def tracking_url(self) -> str:
        return tracking_url(self.carrier, self.tracking_number)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("shop.Product", null=True, on_delete=models.SET_NULL,
                                related_name="+")
    title = models.CharField(max_length=200)
    unit_price_cents = models.PositiveIntegerField()
    quantity = models.PositiveIntegerField()
    cancelled_quantity = models.PositiveIntegerField(default=0)
    solidarity_bps = models.PositiveIntegerField(default=0)
    solidarity_project = models.ForeignKey("markets.SolidarityProject", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    # A fixed amount per unit for the project instead of the share (a donated object).
    solidarity_unit_cents = models.PositiveIntegerField(null=True, blank=True)
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



class LedgerEntryQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            ledger_changed()
        return created


class LedgerEntry(models.Model):
    """Where a cent of a paid checkout goes. For every checkout the entries sum to the
    amount charged (refunds are negative entries). Entries are only ever added: every way
    of adding one tells `ledger_changed`, which the cached figures depend on."""

    class Kind(models.TextChoices):
        VENDOR_NET = "vendor_net", _("Vendor net")
        COMMISSION = "commission", _("Commission")
        SOLIDARITY = "solidarity", _("Solidarity share")
        DONATION = "donation", _("Shopper donation")
        PAYMENT_FEES = "payment_fees", _("Payment fees")
        REFUND = "refund", _("Refund")

    checkout = models.ForeignKey("shop.Checkout", on_delete=models.PROTECT, related_name="ledger")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="ledger")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount_cents = models.IntegerField()
    vendor = models.ForeignKey("vendors.Vendor", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("markets.SolidarityProject", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="ledger_entries")
    # Whose a commission entry is: the organiser of the market (none: the platform's).
    organiser = models.ForeignKey("markets.Organiser", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="ledger_entries")
    memo = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_cents}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        ledger_changed()


"""What the shopper was charged and what was given back, as the gateway reports it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.money import CURRENCY


class Payment(models.Model):
    """One attempt to charge a checkout's total through a gateway (a Stripe PaymentIntent,
    or the demo card form)."""

    class State(models.TextChoices):
        CREATED = "created", _("Awaiting the shopper")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        REFUNDED = "refunded", _("Refunded")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
        CANCELLED = "cancelled", _("Replaced by a newer payment")

    # No verdict processed yet: the gateway may have charged them without our knowing.
    UNSETTLED = (State.CREATED, State.FAILED, State.CANCELLED)
    # They took the shopper's money (part or all of it may have gone back since).
    CHARGED = (State.SUCCEEDED, State.PARTIALLY_REFUNDED, State.REFUNDED)

    checkout = models.ForeignKey(
        "shop.Checkout", verbose_name=_("checkout"), on_delete=models.PROTECT,
        related_name="payments",
    )
    gateway = models.CharField(_("gateway"), max_length=20)
    external_id = models.CharField(_("gateway reference"), max_length=255, blank=True)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    checkout_revision = models.PositiveIntegerField(default=0)
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY)
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.CREATED, db_index=True)
    failure_message = models.CharField(_("failure message"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "external_id"], condition=~models.Q(external_id=""),
                name="unique_payment_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.external_id or self.pk}"


class Refund(models.Model):
    """Money given back on a payment: a vendor's order that could not be honoured, or
    lines the vendor cancelled."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Reason(models.TextChoices):
        UNAVAILABLE = "unavailable", _("Items no longer available at payment")
        CANCELLED = "cancelled", _("Lines cancelled by the vendor")
        DUPLICATE = "duplicate", _("Checkout already paid")
        MISMATCH = "mismatch", _("Payment for an earlier version of the basket")
        CLOSED = "closed", _("Paid after the market closed")
        EXTERNAL = "external", _("Refunded at the payment provider")

    payment = models.ForeignKey(Payment, verbose_name=_("payment"), on_delete=models.PROTECT,
                                related_name="refunds")
    order = models.ForeignKey(
        "shop.Order", verbose_name=_("order"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="refunds",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    external_id = models.CharField(_("gateway reference"), max_length=255, blank=True)
    # Built from our ids before the gateway is called, so that a retry after a crash asks
    # for the same refund again instead of a second one.
    idempotency_key = models.CharField(max_length=255, unique=True, null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.PENDING, db_index=True)
    failure_message = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gte=1),
                                   name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_cents} on {self.payment_id}"


class WebhookEvent(models.Model):
    """A Stripe event, stored once by its id before it is processed (in Celery)."""

    class Endpoint(models.TextChoices):
        PLATFORM = "platform", _("Platform")
        CONNECT = "connect", _("Connected accounts")

    event_id = models.CharField(max_length=255, unique=True)
    endpoint = models.CharField(max_length=10, choices=Endpoint.choices)
    type = models.CharField(max_length=100, db_index=True)
    account = models.CharField(max_length=255, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class Transfer(models.Model):
    """Money sent from the platform to a connected account: a vendor's net for one order,
    a project's share of one checkout, or the commission of one checkout to the market's
    organiser. Made once, identified by `idempotency_key`."""

    class Kind(models.TextChoices):
        VENDOR = "vendor", _("Vendor net")
        PROJECT = "project", _("Solidarity project")
        ORGANISER = "organiser", _("Organiser's commission")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the account")
        SENT = "sent", _("Sent")
        PARTIALLY_REVERSED = "partially_reversed", _("Partially reversed")
        REVERSED = "reversed", _("Reversed")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    checkout = models.ForeignKey("shop.Checkout", on_delete=models.PROTECT,
                                 related_name="transfers")
    order = models.ForeignKey("shop.Order", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="transfers")
    project = models.ForeignKey("markets.SolidarityProject", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="transfers")
    organiser = models.ForeignKey("markets.Organiser", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="transfers")
    destination = models.CharField(max_length=255, blank=True)
    amount_cents = models.PositiveIntegerField()
    reversed_cents = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default=CURRENCY)
    idempotency_key = models.CharField(max_length=255, unique=True)
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING,
                             db_index=True)
    failure_message = models.TextField(blank=True)
    # Each retry from the back office starts a new round of attempts by the outbox.
    send_round = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=models.Q(kind="vendor"),
                                    name="one_vendor_transfer_per_order"),
            models.UniqueConstraint(fields=["checkout", "project"],
                                    condition=models.Q(kind="project"),
                                    name="one_project_transfer_per_checkout"),
            models.UniqueConstraint(fields=["checkout", "organiser"],
                                    condition=models.Q(kind="organiser"),
                                    name="one_organiser_transfer_per_checkout"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_cents} → {self.destination or '?'}"

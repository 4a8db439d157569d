"""Organisations that sell: vendors and the accounts that work for them."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from .validators import (
    FRENCH_VAT_NUMBER,
    normalise_siret,
    normalise_vat_number,
    validate_rna,
    validate_siret,
    validate_vat_number,
)

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class Vendor(models.Model):
    """An ESS organisation that sells in markets: association, cooperative, ressourcerie…"""

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        COOPERATIVE = "cooperative", _("Cooperative")
        SCIC = "scic", _("SCIC")
        ESUS = "esus", _("ESUS-approved company")
        SIAE = "siae", _("Work integration enterprise (SIAE)")
        COMPANY = "company", _("Company")

    class VatRate(models.IntegerChoices):
        """The French VAT rates, in basis points."""

        STANDARD = 2000, _("20 % (standard rate)")
        INTERMEDIATE = 1000, _("10 % (intermediate rate)")
        REDUCED = 550, _("5.5 % (reduced rate: books, food…)")
        SUPER_REDUCED = 210, _("2.1 % (press, some medicines)")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    siret = models.CharField(
        _("SIRET"), max_length=20, blank=True, validators=[validate_siret],
        help_text=_("14 digits, on your Kbis or INSEE notice."),
    )
    rna = models.CharField(
        _("RNA number"), max_length=10, blank=True, validators=[validate_rna],
        help_text=_("For associations: W followed by 9 digits."),
    )
    is_professional = models.BooleanField(
        _("professional seller"), default=False,
        help_text=_("Professional sellers owe shoppers a 14-day withdrawal right."),
    )
    # Most ESS associations are not subject to VAT (franchise en base): their receipts say
    # so with the mention the tax code asks for (art. 293 B du CGI).
    vat_liable = models.BooleanField(
        _("subject to VAT"), default=False,
        help_text=_("Tick only if your structure charges VAT. Otherwise your receipts say "
                    "« TVA non applicable, art. 293 B du CGI »."),
    )
    vat_number = models.CharField(
        _("intra-community VAT number"), max_length=20, blank=True,
        validators=[validate_vat_number],
        help_text=_("FR, a two-character key and your SIREN: on your tax account."),
    )
    vat_rate_bps = models.PositiveIntegerField(
        _("VAT rate"), choices=VatRate.choices, default=VatRate.STANDARD,
        help_text=_("Included in your prices; receipts show the VAT they include."),
    )
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    ess_commitment = models.TextField(
        _("social and solidarity commitment"), blank=True,
        help_text=_("Statute, social utility, governance, reuse or integration activity."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    email = models.EmailField(_("contact e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    default_solidarity_bps = models.PositiveIntegerField(
        _("default solidarity share (basis points)"), default=0,
        validators=[MaxValueValidator(10000)],
        help_text=_("Share of each sale given to a solidarity project: 100 = 1 %."),
    )
    default_solidarity_project = models.ForeignKey(
        "markets.SolidarityProject", verbose_name=_("default solidarity project"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    accepts_donations = models.BooleanField(
        _("accepts donated objects"), default=False,
        help_text=_("People may offer you objects from your page; what they raise goes to "
                    "the solidarity project they choose."),
    )
    ships = models.BooleanField(_("ships parcels"), default=False)
    shipping_fee_cents = models.PositiveIntegerField(_("flat shipping fee (cents)"), default=0)
    collection = models.ForeignKey(
        "wagtailcore.Collection", verbose_name=_("image collection"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    stripe_account_id = models.CharField(_("Stripe account"), max_length=255, blank=True)
    payouts_enabled = models.BooleanField(_("payouts enabled"), default=False)
    transfers_active = models.BooleanField(_("transfers active"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_solidarity_bps__lte=10000),
                name="vendor_solidarity_bps_max",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.siret = normalise_siret(self.siret)
        self.rna = (self.rna or "").strip().upper()
        if not self.siret and not self.rna:
            raise ValidationError(
                {"siret": _("Give a SIRET number, or an RNA number for an association.")}
            )
        self._clean_vat()

    def _clean_vat(self) -> None:
        self.vat_number = normalise_vat_number(self.vat_number)
        if self.vat_liable and not self.vat_number:
            raise ValidationError({"vat_number": _(
                "Give your intra-community VAT number: it is printed on your receipts.")})
        match = FRENCH_VAT_NUMBER.fullmatch(self.vat_number)
        siren = self.siret[:9]
        if match and siren and match.group(2) != siren:
            raise ValidationError({"vat_number": _(
                "Your VAT number ends with your SIREN, the first 9 digits of your SIRET "
                "(%(siren)s).") % {"siren": siren}})

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class VendorMembership(models.Model):
    """Links a user account to the vendor it works for."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="vendor_memberships",
    )
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("vendor membership")
        verbose_name_plural = _("vendor memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "vendor"], name="unique_vendor_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.vendor} ({self.get_role_display()})"


class ApiToken(models.Model):
    """A key a vendor's own tool (a ressourcerie's stock software) uses to write to its
    catalogue through the API. Only the SHA-256 of the secret is kept: the secret is shown
    once, when the token is made, and cannot be read back."""

    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=100,
        help_text=_("What the token is for, for instance « Logiciel de caisse »."),
    )
    prefix = models.CharField(_("beginning of the token"), max_length=12)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

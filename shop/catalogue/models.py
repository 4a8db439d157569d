"""Catalogue: categories, products and their images."""

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class Category(models.Model):
    """A product category, two levels deep (« Maison » › « Vaisselle »)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent category"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("Categories have two levels only.")})


class Product(ClusterableModel):
    """An item a vendor sells; a unique second-hand item has a stock of 1."""

    class Condition(models.TextChoices):
        NEW = "new", _("New")
        LIKE_NEW = "like_new", _("Like new")
        VERY_GOOD = "very_good", _("Very good condition")
        GOOD = "good", _("Good condition")
        FAIR = "fair", _("Fair condition")

    vendor = models.ForeignKey(
        "vendors.Vendor", verbose_name=_("vendor"), on_delete=models.CASCADE,
        related_name="products",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    reference = models.CharField(
        _("reference"), max_length=64, blank=True, default="",
        help_text=_("Your own code for this product (SKU), unique in your catalogue; it lets "
                    "a catalogue file update the product instead of adding a new one."),
    )
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )
    price_cents = models.PositiveIntegerField(
        _("price (cents)"), validators=[MinValueValidator(1)],
    )
    stock = models.PositiveIntegerField(_("stock"), default=1)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    is_active = models.BooleanField(_("on sale"), default=True)
    solidarity_bps = models.PositiveIntegerField(
        _("solidarity share (basis points)"), default=0, validators=[MaxValueValidator(10000)],
        help_text=_("Share of the price given to a solidarity project: 100 = 1 %."),
    )
    solidarity_project = models.ForeignKey(
        "markets.SolidarityProject", verbose_name=_("solidarity project"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Leave empty to let the shopper choose among the market's projects."),
    )
    # A donated object gives its project a fixed amount per unit (its price less the costs
    # its vendor declared) instead of the share; empty for every other product.
    solidarity_unit_cents = models.PositiveIntegerField(
        _("amount per unit for the project"), null=True, blank=True, editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Both kept up to date by PostgreSQL triggers, also when the product's category or vendor
    # is renamed (migrations 0003 and 0009); unused on SQLite. The vector weighs the title (A),
    # category names (B), vendor name (C) and description (D), French without accents, and is
    # GIN-indexed; the text (title and category names, lower case without accents) is what a
    # misspelt query is compared with, trigram by trigram.
    search_vector = SearchVectorField(null=True, editable=False)
    search_text = models.TextField(null=True, editable=False)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="product_stock_gte_0"),
            models.CheckConstraint(
                condition=models.Q(solidarity_bps__lte=10000), name="product_solidarity_bps_max"
            ),
            models.CheckConstraint(
                condition=models.Q(price_cents__gte=1), name="product_price_positive"
            ),
            models.UniqueConstraint(fields=["vendor", "slug"], name="unique_product_slug"),
            models.UniqueConstraint(
                fields=["vendor", "reference"], condition=~models.Q(reference=""),
                name="unique_product_reference",
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "is_active"], name="product_vendor_active"),
            models.Index(fields=["price_cents"], name="product_price"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unique_item(self) -> bool:
        return self.condition != self.Condition.NEW and self.stock <= 1


class ProductImage(Orderable):
    """A photo of a product, from the vendor's own image collection."""

    product = ParentalKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE,
        related_name="+",
    )
    alt_text = models.CharField(
        _("alternative text"), max_length=255,
        help_text=_("Describe the photo for people who cannot see it."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self) -> str:
        return self.alt_text

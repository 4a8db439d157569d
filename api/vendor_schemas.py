"""Shapes of the vendor write API: what a vendor's tool sends and gets back."""

from datetime import datetime
from typing import ClassVar, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from shop.catalogue.forms import MAX_PRICE_CENTS
from shop.models import Product

from .schemas import MAX_ID, NO_NUL_PATTERN, SLUG_PATTERN, CategoryOut, Choice, Currency

MAX_BULK_ITEMS = 1000
# Far above any real shelf; keeps the value inside the database column.
MAX_STOCK = 1_000_000
ConditionCode = Literal[tuple(Product.Condition.values)]


class ProductFields(Schema):
    """Every field a tool may set; those left out, or null, are not changed."""

    NOT_STORED: ClassVar[frozenset[str]] = frozenset({"currency"})

    def changes(self, **extra) -> dict:
        """The fields sent, as `shop.catalogue_sync.ProductChange` takes them."""
        return {**self.dict(exclude=set(self.NOT_STORED), exclude_unset=True), **extra}

    model_config = ConfigDict(extra="forbid")

    reference: str | None = Field(
        None, min_length=1, max_length=64, pattern=NO_NUL_PATTERN,
        description="Your own reference (SKU), unique in your catalogue.",
    )
    title: str | None = Field(None, min_length=1, max_length=200, pattern=NO_NUL_PATTERN)
    description: str | None = Field(
        None, max_length=10_000, pattern=NO_NUL_PATTERN,
        description="Plain text; a blank line starts a new paragraph.",
    )
    category: str | None = Field(
        None, max_length=100, pattern=SLUG_PATTERN,
        description="A category slug, from `GET /api/v1/vendor/categories`.",
    )
    condition: ConditionCode | None = None
    price_cents: int | None = Field(None, ge=1, le=MAX_PRICE_CENTS, description="In cents.")
    currency: Currency = Field("EUR", description="Prices are in euro cents; only EUR.")
    stock: int | None = Field(
        None, ge=0, le=MAX_STOCK,
        description="Units on the shelf. Refused below the units held in baskets being paid.",
    )
    expected_stock: int | None = Field(
        None, ge=0, le=MAX_STOCK,
        description="Optional: the stock your tool last read. If the stock is no longer "
                    "this (a sale happened meanwhile), the item is refused.",
    )
    weight_grams: int | None = Field(None, ge=0, le=MAX_STOCK)
    is_active: bool | None = Field(None, description="On sale.")
    solidarity_bps: int | None = Field(
        None, ge=0, le=10000, description="Share given to a solidarity project: 100 = 1 %."
    )


PRODUCT_EXAMPLE = {
    "reference": "RES-00412", "title": "Service à thé en porcelaine", "category": "vaisselle",
    "condition": "very_good", "price_cents": 1850, "stock": 1,
    "description": "Six tasses et leurs soucoupes.\n\nUne anse recollée.",
}


class ProductCreateIn(ProductFields):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [PRODUCT_EXAMPLE]})

    title: str = Field(..., min_length=1, max_length=200, pattern=NO_NUL_PATTERN)
    category: str = Field(..., max_length=100, pattern=SLUG_PATTERN)
    price_cents: int = Field(..., ge=1, le=MAX_PRICE_CENTS, description="In cents.")


class ProductPatchIn(ProductFields):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"price_cents": 1500, "stock": 0, "expected_stock": 1},
    ]})


class BulkItemIn(ProductFields):
    """One product: by `id`, or by `reference` (created when none of your products has it)."""

    id: int | None = Field(None, ge=1, le=MAX_ID, description="Our id of the product.")


class BulkIn(Schema):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "items": [
            {"reference": "RES-00412", "stock": 0},
            {"id": 5210, "stock": 3, "price_cents": 1200},
            PRODUCT_EXAMPLE | {"reference": "RES-00977", "title": "Lampe de chevet"},
        ],
    }]})

    items: list[BulkItemIn] = Field(..., min_length=1, max_length=MAX_BULK_ITEMS)


class VendorProductOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 5210, "reference": "RES-00412", "title": "Service à thé en porcelaine",
        "slug": "service-a-the-en-porcelaine",
        "description": "<p>Six tasses et leurs soucoupes.</p><p>Une anse recollée.</p>",
        "category": {"slug": "vaisselle", "name": "Vaisselle et arts de la table",
                     "parent": {"slug": "maison", "name": "Maison"}},
        "condition": {"code": "very_good", "label": "Très bon état"},
        "price_cents": 1850, "currency": "EUR", "stock": 1, "reserved": 0,
        "weight_grams": None, "is_active": True, "solidarity_bps": 500,
        "updated_at": "2026-12-01T10:12:00+01:00",
    }]})

    id: int
    reference: str
    title: str
    slug: str
    description: str = Field(description="Sanitised rich text, as HTML.")
    category: CategoryOut
    condition: Choice
    price_cents: int
    currency: Currency
    stock: int
    reserved: int = Field(description="Units held in baskets being paid right now.")
    weight_grams: int | None
    is_active: bool
    solidarity_bps: int
    updated_at: datetime


class VendorProductPage(Schema):
    count: int
    page: int
    page_size: int
    num_pages: int
    items: list[VendorProductOut]


class ItemErrorOut(Schema):
    index: int = Field(description="Position of the item in `items`, from 0.")
    field: str | None
    code: str = Field(description="not_found, duplicate, required, unknown_category, "
                                   "reference_taken, stock_changed, stock_below_reserved, "
                                   "invalid…")
    message: str


class WriteErrorOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "detail": "Rien n'a été enregistré : 1 élément est refusé.",
        "errors": [{"index": 1, "field": "stock", "code": "stock_below_reserved",
                    "message": "1 unité(s) sont réservées dans des paniers en cours de "
                               "paiement : le stock ne peut pas descendre en dessous pour "
                               "l'instant. Réessayez dans quelques minutes."}],
    }]})

    detail: str
    errors: list[ItemErrorOut]


class BulkResultOut(Schema):
    index: int
    id: int
    reference: str
    status: Literal["created", "updated", "unchanged"]


class BulkOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "created": 1, "updated": 1, "unchanged": 1,
        "items": [
            {"index": 0, "id": 5209, "reference": "RES-00412", "status": "updated"},
            {"index": 1, "id": 5210, "reference": "", "status": "unchanged"},
            {"index": 2, "id": 5391, "reference": "RES-00977", "status": "created"},
        ],
    }]})

    created: int
    updated: int
    unchanged: int
    items: list[BulkResultOut]


class CategoryListOut(CategoryOut):
    pass


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_ID)
    page_size: int = Field(50, ge=1, le=200)
    reference: str = Field("", max_length=64, pattern=NO_NUL_PATTERN,
                           description="Only the product with this reference.")
    updated_since: datetime | None = Field(
        None, description="Only products changed since then (ISO 8601 with offset)."
    )

"""Shapes of the API's answers and of the catalogue's query parameters.

Money is always integer cents in a field named `*_cents`, next to `"currency": "EUR"`."""

from datetime import datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import model_validator

from markets.models import MarketStatus
from shop.catalogue.forms import MAX_PRICE_CENTS
from shop.catalogue.selectors import PAGE_SIZE, Sort
from shop.models import Product

MAX_PAGE_SIZE = 100
# The largest value the database columns hold; beyond it SQLite overflows.
MAX_ID = 2**63 - 1
SLUG_PATTERN = r"^[-a-zA-Z0-9_]*$"
NO_NUL_PATTERN = r"^[^\x00]*$"

Currency = Literal["EUR"]
StatusCode = Literal[
    MarketStatus.UPCOMING.value,
    MarketStatus.OPEN.value,
    MarketStatus.PAUSED.value,
    MarketStatus.CLOSED.value,
]
SortCode = Literal[Sort.RELEVANCE, Sort.NEWEST, Sort.PRICE_ASC, Sort.PRICE_DESC]


class Choice(Schema):
    code: str
    label: str


class Error(Schema):
    detail: str


class OrganiserOut(Schema):
    name: str
    slug: str
    territory: str


class MarketSummary(Schema):
    id: int
    title: str
    url: str | None
    status: StatusCode


class MarketOut(MarketSummary):
    slug: str
    status_label: str
    opens_at: datetime
    closes_at: datetime
    commission_bps: int
    shipping_allowed: bool
    organiser: OrganiserOut | None


class PickupPointOut(Schema):
    name: str
    address: str
    postcode: str
    city: str
    opening_hours: str


class ProjectSummary(Schema):
    id: int
    title: str
    beneficiary: str
    url: str | None


class MarketDetailOut(MarketOut):
    intro: str = Field(description="Rich text, as HTML.")
    vendor_count: int
    pickup_points: list[PickupPointOut]
    solidarity_projects: list[ProjectSummary]


class CategoryRef(Schema):
    slug: str
    name: str


class CategoryOut(CategoryRef):
    parent: CategoryRef | None


class VendorSummary(Schema):
    slug: str
    name: str
    city: str
    is_professional: bool


class ImageOut(Schema):
    alt: str
    url: str | None
    width: int | None
    height: int | None


class ProductImageOut(Schema):
    alt: str
    card: ImageOut | None = Field(description="fill-800x600, WebP.")
    large: ImageOut | None = Field(description="At most 1200×1200, WebP.")


class ProjectRef(Schema):
    id: int
    title: str


class ProductOut(Schema):
    id: int
    title: str
    slug: str
    url: str | None = Field(description="The product's page in the storefront.")
    category: CategoryOut
    condition: Choice
    price_cents: int
    currency: Currency
    stock: int
    available: bool = Field(description="In stock.")
    purchasable: bool = Field(
        description="The market is open and some unit is not held in another basket.")
    units_free: int = Field(description="Units in stock not held in baskets awaiting payment.")
    sale_state: Literal["available", "held", "sold_out"] = Field(
        description="`held`: every unit is in baskets awaiting payment, back on sale at "
                    "`held_until` unless they are paid.")
    held_until: datetime | None = Field(
        default=None, description="When the last hold lapses, while `sale_state` is `held`.")
    solidarity_bps: int
    solidarity_project: ProjectRef | None = Field(
        description="Empty: the shopper chooses among the market's projects."
    )
    vendor: VendorSummary
    image: ImageOut | None = Field(description="The first photo, fill-800x600, WebP.")


class ProductMarketOut(MarketSummary):
    product_url: str | None


class ProductDetailOut(ProductOut):
    description: str = Field(description="Sanitised rich text, as HTML.")
    weight_grams: int | None
    images: list[ProductImageOut]
    markets: list[ProductMarketOut] = Field(description="The markets where it is on sale.")


class ProductPage(Schema):
    market: MarketSummary
    count: int
    page: int
    page_size: int
    num_pages: int
    items: list[ProductOut]


class VendorOut(VendorSummary):
    legal_form: Choice
    siret: str
    rna: str
    website: str
    ships: bool
    shipping_fee_cents: int
    currency: Currency


class VendorDetailOut(VendorOut):
    postcode: str
    description: str = Field(description="Rich text, as HTML.")
    markets: list[MarketSummary] = Field(description="Live markets it takes part in.")


class ProjectOut(Schema):
    id: int
    title: str
    slug: str
    url: str | None
    beneficiary: str
    summary: str
    goal_cents: int
    amount_raised_cents: int
    currency: Currency
    markets: list[MarketSummary]


class ProjectDetailOut(ProjectOut):
    story: str = Field(description="Rich text, as HTML.")


class CatalogueFilters(Schema):
    """The storefront's filters, search, sort and pagination."""

    q: str = Field("", max_length=200, pattern=NO_NUL_PATTERN, description="Words to search.")
    vendor: str = Field("", max_length=200, pattern=SLUG_PATTERN, description="Vendor slug.")
    category: str = Field(
        "", max_length=100, pattern=SLUG_PATTERN,
        description="Category slug; a parent category includes its children.",
    )
    condition: list[Product.Condition] = Field(
        default_factory=list, description="Repeat to accept several conditions."
    )
    min_price: int | None = Field(None, ge=0, le=MAX_PRICE_CENTS, description="In cents.")
    max_price: int | None = Field(None, ge=0, le=MAX_PRICE_CENTS, description="In cents.")
    in_stock: bool = False
    sort: SortCode | None = Field(
        None, description="Default: relevance when searching, newest otherwise."
    )
    page: int = Field(1, ge=1, le=MAX_ID)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    @model_validator(mode="after")
    def check_price_range(self):
        if (
            self.min_price is not None
            and self.max_price is not None
            and self.min_price > self.max_price
        ):
            raise ValueError(_("The maximum price must be at least the minimum price."))
        return self

"""Turn pages and models into the API's payloads. Every URL is absolute."""

from django.utils import timezone
from wagtail.images.models import SourceImageIOError
from wagtail.rich_text import expand_db_html

from shop.money import CURRENCY

CARD_SPEC = "fill-800x600|format-webp"
LARGE_SPEC = "max-1200x1200|format-webp"
LISTING_SPECS = (CARD_SPEC,)
DETAIL_SPECS = (CARD_SPEC, LARGE_SPEC)


def page_url(page, request) -> str:
    """The page's address on the host the request came to (the Site record may name
    another host, for instance in the demo)."""
    return request.build_absolute_uri(page.get_url(request))


def market_summary(market, request) -> dict:
    return {
        "id": market.pk,
        "title": market.title,
        "url": page_url(market, request),
        "status": market.status,
    }


def market_payload(market, request, *, organiser) -> dict:
    return {
        **market_summary(market, request),
        "slug": market.slug,
        "status_label": str(market.status_label),
        "opens_at": timezone.localtime(market.opens_at),
        "closes_at": timezone.localtime(market.closes_at),
        "commission_bps": market.commission_bps,
        "shipping_allowed": market.shipping_allowed,
        "organiser": (
            {"name": organiser.name, "slug": organiser.slug, "territory": organiser.territory}
            if organiser
            else None
        ),
    }


def project_summary(project, request) -> dict:
    return {
        "id": project.pk,
        "title": project.title,
        "beneficiary": project.beneficiary,
        "url": page_url(project, request),
    }


def project_payload(project, request, *, amount_raised_cents: int) -> dict:
    return {
        **project_summary(project, request),
        "slug": project.slug,
        "summary": project.summary,
        "goal_cents": project.goal_cents,
        "amount_raised_cents": amount_raised_cents,
        "currency": CURRENCY,
        "markets": [market_summary(market, request) for market in project.markets.all()],
    }


def vendor_summary(vendor) -> dict:
    return {
        "slug": vendor.slug,
        "name": vendor.name,
        "city": vendor.city,
        "is_professional": vendor.is_professional,
    }


def vendor_payload(vendor) -> dict:
    """Public identity only: never the contact details, address or Stripe fields."""
    return {
        **vendor_summary(vendor),
        "legal_form": {"code": vendor.legal_form, "label": str(vendor.get_legal_form_display())},
        "siret": vendor.siret,
        "rna": vendor.rna,
        "website": vendor.website,
        "ships": vendor.ships,
        "shipping_fee_cents": vendor.shipping_fee_cents,
        "currency": CURRENCY,
    }


def product_url(market, product, request) -> str | None:
    market_url = page_url(market, request)
    if market_url is None:
        return None
    return market_url + market.reverse_subpage(
        "product", kwargs={"slug": product.slug, "pk": product.pk}
    )


def category_payload(category) -> dict:
    parent = category.parent
    return {
        "slug": category.slug,
        "name": category.name,
        "parent": {"slug": parent.slug, "name": parent.name} if parent else None,
    }


def renditions(product_image, specs, request) -> dict:
    """{spec: image payload}; a photo whose file is missing gets no URL rather than a 500."""
    try:
        found = product_image.image.get_renditions(*specs)
    except SourceImageIOError:
        found = {}
    payloads = {}
    for spec in specs:
        rendition = found.get(spec)
        payloads[spec] = {
            "alt": product_image.alt_text,
            "url": request.build_absolute_uri(rendition.url) if rendition else None,
            "width": rendition.width if rendition else None,
            "height": rendition.height if rendition else None,
        }
    return payloads


def image_payload(product_image, request) -> dict:
    sizes = renditions(product_image, DETAIL_SPECS, request)
    return {"alt": product_image.alt_text, "card": sizes[CARD_SPEC], "large": sizes[LARGE_SPEC]}


def _units_free(product) -> int:
    return getattr(product, "units_free", product.stock)


def sale_state(product) -> dict:
    """Whether a shopper can take it now: `available`, `held` (every unit in baskets
    awaiting payment; back on sale at `held_until` unless they are paid) or `sold_out`.
    The product is annotated with `selectors.holds()`."""
    units_free = _units_free(product)
    state = "sold_out" if product.stock <= 0 else "held" if units_free <= 0 else "available"
    return {"units_free": units_free, "sale_state": state,
            "held_until": getattr(product, "held_until", None) if state == "held" else None}


def product_payload(product, request, *, market, purchasable: bool) -> dict:
    """`market` gives the storefront URL; images must be prefetched with `with_first_image`
    and the listing specs."""
    images = list(product.images.all())
    first_image = renditions(images[0], LISTING_SPECS, request)[CARD_SPEC] if images else None
    project = product.solidarity_project
    return {
        "id": product.pk,
        "title": product.title,
        "slug": product.slug,
        "url": product_url(market, product, request) if market else None,
        "category": category_payload(product.category),
        "condition": {"code": product.condition, "label": str(product.get_condition_display())},
        "price_cents": product.price_cents,
        "currency": CURRENCY,
        "stock": product.stock,
        "available": product.stock > 0,
        "purchasable": purchasable and _units_free(product) > 0,
        **sale_state(product),
        "solidarity_bps": product.solidarity_bps,
        "solidarity_project": {"id": project.pk, "title": project.title} if project else None,
        "vendor": vendor_summary(product.vendor),
        "image": first_image,
    }


def product_detail_payload(product, request, *, markets, market=None) -> dict:
    """`markets`: where it is on sale; `market`: the one the shopper looks at, if any.
    Images must be prefetched with `with_first_image` and the detail specs."""
    if market is None:
        open_markets = [candidate for candidate in markets if candidate.is_open]
        market = (open_markets or markets or [None])[0]
        purchasable = product.stock > 0 and bool(open_markets)
    else:
        purchasable = product.stock > 0 and market.is_open
    return {
        **product_payload(product, request, market=market, purchasable=purchasable),
        "description": rich_text(product.description),
        "weight_grams": product.weight_grams,
        "images": [image_payload(product_image, request) for product_image in product.images.all()],
        "markets": [
            {
                **market_summary(candidate, request),
                "product_url": product_url(candidate, product, request),
            }
            for candidate in markets
        ],
    }


def rich_text(html: str) -> str:
    """Stored rich text (already sanitised by the editor) with its internal links resolved."""
    return expand_db_html(html)


def vendor_product_payload(product, *, reserved: int) -> dict:
    """A product as its vendor's own tool sees it; category with its parent selected."""
    return {
        "id": product.pk,
        "reference": product.reference,
        "title": product.title,
        "slug": product.slug,
        "description": rich_text(product.description),
        "category": category_payload(product.category),
        "condition": {"code": product.condition, "label": str(product.get_condition_display())},
        "price_cents": product.price_cents,
        "currency": CURRENCY,
        "stock": product.stock,
        "reserved": reserved,
        "weight_grams": product.weight_grams,
        "is_active": product.is_active,
        "solidarity_bps": product.solidarity_bps,
        "updated_at": timezone.localtime(product.updated_at),
    }

"""A new demo vendor's catalogue: its products with their illustrations. Written once, with
the vendor: afterwards the catalogue is the vendor's (prices, stock, sales, removals)."""

from django.utils.text import slugify

from shop.models import Category, Product, ProductImage
from vendors.models import Vendor

from .products import PRODUCTS, ProductData
from .result import DemoResult
from .scenes import scene_png

CONDITION_WORDS = {
    "new": "neuf",
    "like_new": "comme neuf",
    "very_good": "très bon état",
    "good": "bon état",
    "fair": "état correct",
}
# Parcel weights by family when a product does not give its own, for shipping estimates.
FAMILY_WEIGHTS = {
    "maison": 1000, "mobilier": 12000, "vetements": 600, "livres-culture": 500,
    "jeux-jouets": 900, "sport-loisirs": 1500, "high-tech": 1200, "artisanat": 300,
    "epicerie": 400, "jardin": 2000,
}
# One product in three gets a second, close-up illustration.
SECOND_IMAGE_EVERY = 3


def build_catalogue(result: DemoResult, vendor: Vendor, categories: dict) -> None:
    for position, data in enumerate(PRODUCTS.get(vendor.slug, ())):
        category = categories[data.category]
        product = Product.objects.create(
            vendor=vendor, slug=slugify(data.title),
            **_product_fields(result, vendor, data, category),
        )
        family = _family(category)
        variants = 2 if position % SECOND_IMAGE_EVERY == 0 else 1
        for variant in range(variants):
            image = result.illustration(
                vendor.collection,
                title=product.title if variant == 0 else f"{product.title} (détail)",
                label=category.name if variant == 0 else
                f"Détail · {CONDITION_WORDS[product.condition]}",
                family=family, variant=variant, painter=scene_png,
                file_name=f"{vendor.slug}-{product.slug}-{variant + 1}.png",
            )
            ProductImage.objects.create(
                product=product, image=image, sort_order=variant,
                alt_text=_alt_text(product, category, variant),
            )


def _family(category: Category) -> str:
    return category.parent.slug if category.parent_id else category.slug


def _product_fields(result: DemoResult, vendor: Vendor, data: ProductData, category) -> dict:
    if data.bps is None:
        bps, project = vendor.default_solidarity_bps, vendor.default_solidarity_project
    else:
        bps, project = data.bps, result.projects.get(data.project)
    return {
        "title": data.title,
        "description": f"<p>{data.description}</p>",
        "category": category,
        "condition": data.condition,
        "price_cents": data.price_cents,
        "stock": data.stock,
        "weight_grams": data.weight_grams or FAMILY_WEIGHTS.get(_family(category)),
        "is_active": True,
        "solidarity_bps": bps,
        "solidarity_project": project if bps else None,
    }


def _alt_text(product: Product, category: Category, variant: int) -> str:
    if variant == 0:
        return f"Vignette de l'article « {product.title} » ({category.name.lower()})"
    condition = CONDITION_WORDS[product.condition]
    return f"Vignette de détail de l'article « {product.title} », {condition}"

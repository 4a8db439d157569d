"""Wagtail images and collections for generated data: no file leaves the machine."""

import hashlib
import io

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection

from .illustrations import HEIGHT, WIDTH, illustration_png


def child_collection(parent: Collection, name: str) -> Collection:
    """The child of `parent` called `name`, created on first use."""
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(instance=Collection(name=name))


def nested_collection(*names: str) -> Collection:
    collection = Collection.get_first_root_node()
    for name in names:
        collection = child_collection(collection, name)
    return collection


def generated_image(
    *, collection: Collection, title: str, file_name: str, size=(WIDTH, HEIGHT),
    painter=illustration_png, **drawing
):
    """Draw an illustration (`painter`: `illustration_png`, or `scene_png` for a product)
    and store it as a Wagtail image."""
    png = painter(title=title, size=size, **drawing)
    image = get_image_model()(
        title=title,
        collection=collection,
        # Known sizes spare Wagtail from reading the file back to measure it.
        width=size[0],
        height=size[1],
        file=ImageFile(io.BytesIO(png), name=file_name),
        file_size=len(png),
        file_hash=hashlib.sha1(png, usedforsecurity=False).hexdigest(),
    )
    image.save()
    return image

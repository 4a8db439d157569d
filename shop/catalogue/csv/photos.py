"""Photos sent with a catalogue file: a ZIP of images named in the « photos » column.

Every image is checked with Pillow before anything is written, and stored as a Wagtail image
in the vendor's own collection, as photos added through the product form are.
"""

import hashlib
import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.images import ImageFile
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.images import get_image_model

from shop.catalogue.models import Product, ProductImage
from vendors.models import Vendor
from vendors.services import vendor_workspace_ensure

MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class ArchiveProblem(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def photo_name(path: str) -> str:
    """How a photo is named in the file: its file name, without folders."""
    return posixpath.basename(path.replace("\\", "/")).strip()


def stored_name(image) -> str:
    return photo_name(image.file.name)


@dataclass
class PhotoArchive:
    """The images of a ZIP file by file name; each one read and checked once."""

    archive: zipfile.ZipFile | None = None
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    checked: dict[str, bytes | str] = field(default_factory=dict)

    @classmethod
    def open(cls, data: bytes | None) -> "PhotoArchive":
        if not data:
            return cls()
        if len(data) > MAX_ZIP_BYTES:
            raise ArchiveProblem(_("The ZIP file of photos is larger than %(size)s MB.")
                                 % {"size": MAX_ZIP_BYTES // (1024 * 1024)})
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise ArchiveProblem(_("The photos file is not a readable ZIP file.")) from None
        if len(infos) > MAX_ZIP_MEMBERS:
            raise ArchiveProblem(_("The ZIP file holds more than %(count)s files.")
                                 % {"count": MAX_ZIP_MEMBERS})
        members = {}
        for info in infos:
            name = photo_name(info.filename)
            if info.is_dir() or not name or name.startswith(".") or "__MACOSX" in info.filename:
                continue
            members.setdefault(name.casefold(), info)
        return cls(archive=archive, members=members)

    def has(self, name: str) -> bool:
        return name.casefold() in self.members

    def image(self, name: str) -> bytes | str:
        """The image's bytes, or a message saying what is wrong with it."""
        key = name.casefold()
        if key not in self.checked:
            problem = self._check(key)
            self.checked[key] = problem if isinstance(problem, bytes) else problem % {
                "name": name, "size": settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE // (1024 * 1024)}
        return self.checked[key]

    def _check(self, key: str) -> bytes | str:
        info = self.members.get(key)
        if info is None:
            return _("the photo “%(name)s” is not in the ZIP file.")
        limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
        if info.file_size > limit:
            return _("the photo “%(name)s” is larger than %(size)s MB.")
        try:
            with self.archive.open(info) as member:
                content = member.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
            return _("the photo “%(name)s” cannot be read from the ZIP file.")
        if len(content) > limit:
            return _("the photo “%(name)s” is larger than %(size)s MB.")
        return content if image_format(content) else _(
            "“%(name)s” is not a JPEG, PNG or WebP image."
        )


def image_format(content: bytes) -> str | None:
    """Pillow's name for the image's format when it is one we store, else None."""
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000)
    try:
        with PILImage.open(io.BytesIO(content)) as picture:
            if picture.format not in IMAGE_FORMATS or picture.width * picture.height > max_pixels:
                return None
            picture.verify()
            return picture.format
    except Exception:  # Pillow raises many kinds for broken or hostile files.
        return None


def image_store(*, vendor: Vendor, name: str, content: bytes):
    if vendor.collection_id is None:
        vendor_workspace_ensure(vendor=vendor)
    with PILImage.open(io.BytesIO(content)) as picture:
        width, height = picture.size
    image = get_image_model()(
        title=name, collection_id=vendor.collection_id, width=width, height=height,
        file=ImageFile(io.BytesIO(content), name=name), file_size=len(content),
        file_hash=hashlib.sha1(content, usedforsecurity=False).hexdigest(),
    )
    image.save()
    return image


def product_photos_replace(*, vendor: Vendor, product: Product, names: tuple[str, ...],
                           current: list[ProductImage], archive: PhotoArchive) -> None:
    """The product's photos become `names`, in order: a photo it already has is kept, the
    others come from the ZIP file."""
    kept = {}
    for photo in current:
        for key in (stored_name(photo.image).casefold(), photo.image.title.casefold()):
            kept.setdefault(key, photo.image)
    images = []
    for name in names:
        image = kept.get(name.casefold())
        if image is None:
            image = image_store(vendor=vendor, name=name, content=archive.image(name))
        images.append(image)
    ProductImage.objects.filter(product=product).delete()
    ProductImage.objects.bulk_create(
        ProductImage(product=product, image=image, alt_text=product.title, sort_order=order)
        for order, image in enumerate(images)
    )

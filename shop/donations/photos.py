"""The photos of an offered object: checked, kept in the private storage under a random
name (handed out only by the vendor's back-office view), turned into product images in the
vendor's own collection when the object is accepted, deleted otherwise."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.images import get_image_model

from shop.catalogue.models import ProductImage
from shop.donations.models import DonatedObject, DonatedPhoto

MAX_PHOTOS = 5
# Pillow's format name: (content type, file extension).
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"),
           "WEBP": ("image/webp", "webp")}


def private_storage() -> FileSystemStorage:
    """Read at each use, so that the setting can change (tests) without a restart."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def photo_check(upload) -> str:
    """The photo's Pillow format, or a French error: too big, not a JPEG, PNG or WebP
    image, or unreadable."""
    limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("« %(name)s » is too big: %(limit)d MB at most per photo.")
            % {"name": upload.name, "limit": limit // (1024 * 1024)})
    try:
        upload.seek(0)
        with PILImage.open(upload) as image:
            image_format = image.format
            image.verify()
    except Exception as error:  # noqa: BLE001 - whatever Pillow chokes on is not a photo
        raise ValidationError(
            _("« %(name)s » is not a photo we can read (JPEG, PNG or WebP).")
            % {"name": upload.name}) from error
    finally:
        upload.seek(0)
    if image_format not in FORMATS:
        raise ValidationError(_("« %(name)s » is not a JPEG, PNG or WebP photo.")
                              % {"name": upload.name})
    return image_format


def photos_store(*, donation: DonatedObject, uploads) -> list[DonatedPhoto]:
    """Keep the (already checked) uploads in the private storage."""
    storage = private_storage()
    photos = []
    for upload in uploads:
        content_type, extension = FORMATS[photo_check(upload)]
        upload.seek(0)
        name = storage.save(f"donations/{secrets.token_urlsafe(24)}.{extension}",
                            ContentFile(upload.read()))
        photos.append(DonatedPhoto.objects.create(donation=donation, name=name,
                                                  content_type=content_type))
    return photos


def photos_delete(*, donation: DonatedObject) -> None:
    storage = private_storage()
    for photo in donation.photos.all():
        storage.delete(photo.name)
    donation.photos.all().delete()


def photos_to_product(*, donation: DonatedObject, product, alt_text: str) -> None:
    """Each photo becomes an image of the vendor's collection and of the product; the
    private copies are then deleted."""
    storage = private_storage()
    image_model = get_image_model()
    for position, photo in enumerate(donation.photos.all()):
        with storage.open(photo.name) as stored:
            content = ContentFile(stored.read(), name=photo.name.rsplit("/", 1)[-1])
        image = image_model(title=alt_text[:255], file=content)
        if donation.vendor.collection_id:
            image.collection_id = donation.vendor.collection_id
        image.save()
        ProductImage.objects.create(product=product, image=image, alt_text=alt_text[:255],
                                    sort_order=position)
    photos_delete(donation=donation)

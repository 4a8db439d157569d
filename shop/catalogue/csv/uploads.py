"""A checked catalogue file kept on the server until the vendor confirms its import.

The files live under PRIVATE_MEDIA_ROOT (never under the public MEDIA_ROOT, and shared by
the web processes as the reports' exports are), under a random name, and
the vendor gets a signed token naming them and itself: another vendor's token, a forged or
an expired one (after an hour) finds nothing.
"""

import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core import signing

from vendors.models import Vendor

MAX_AGE_SECONDS = 60 * 60
SALT = "shop.catalogue.import-upload"
CATALOGUE, PHOTOS = "catalogue", "photos.zip"


def _root() -> Path:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "catalogue-imports"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def _folder(vendor: Vendor, key: str) -> Path:
    return _root() / f"{vendor.pk}-{key}"


def uploads_sweep() -> None:
    """Forget the files of checks that were never confirmed."""
    limit = time.time() - MAX_AGE_SECONDS
    for folder in _root().iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


def upload_keep(*, vendor: Vendor, data: bytes, photos: bytes | None) -> str:
    uploads_sweep()
    key = secrets.token_urlsafe(24)
    folder = _folder(vendor, key)
    folder.mkdir(mode=0o700)
    (folder / CATALOGUE).write_bytes(data)
    if photos:
        (folder / PHOTOS).write_bytes(photos)
    return signing.dumps({"vendor": vendor.pk, "key": key}, salt=SALT)


def _key(vendor: Vendor, token: str) -> str | None:
    try:
        signed = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(signed, dict) or signed.get("vendor") != vendor.pk:
        return None
    return str(signed.get("key", "")) or None


def upload_load(*, vendor: Vendor, token: str) -> tuple[bytes, bytes | None] | None:
    """The kept file and photos, or None when the token is not this vendor's or has expired."""
    key = _key(vendor, token)
    if key is None:
        return None
    folder = _folder(vendor, key)
    try:
        data = (folder / CATALOGUE).read_bytes()
    except OSError:
        return None
    photos = folder / PHOTOS
    return data, (photos.read_bytes() if photos.exists() else None)


def upload_discard(*, vendor: Vendor, token: str) -> None:
    key = _key(vendor, token)
    if key is not None:
        shutil.rmtree(_folder(vendor, key), ignore_errors=True)

"""Export files are kept out of the public media directory, under PRIVATE_MEDIA_ROOT, and
handed out only by the download view after its permission check."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """Read at each use, so that the setting can change (tests) without a restart."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)

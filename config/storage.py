"""Where uploaded media live: local files by default (the embedded demo, one machine), an
S3-compatible bucket (MinIO, Scaleway, OVH, AWS…) as soon as AWS_STORAGE_BUCKET_NAME is set,
so that every web replica and every worker reads and writes the same files.

The backend is named by its dotted path only: django-storages and boto3 (the `[s3]` extra)
are imported when a file is first stored or looked up, never by `make run`.
"""

import environ

S3_BACKEND = "storages.backends.s3.S3Storage"
FILE_SYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
# A stored name never changes content (an upload with a taken name gets a new name, a
# rendition's name carries its filter), so browsers and proxies may keep media for a year.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"


def media_storage(env: environ.Env) -> dict:
    """The `STORAGES["default"]` entry read from the environment."""
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="").strip()
    if not bucket:
        return {"BACKEND": FILE_SYSTEM_BACKEND}
    options = {
        "bucket_name": bucket,
        # Media are public (product photos): plain URLs that a proxy or a browser can
        # keep, not signed ones that change at every page.
        "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
        "file_overwrite": False,
        "default_acl": None,
        "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
        "url_protocol": env.str("AWS_S3_URL_PROTOCOL", default="https:"),
    }
    optional = {
        "endpoint_url": "AWS_S3_ENDPOINT_URL",
        "region_name": "AWS_S3_REGION_NAME",
        "custom_domain": "AWS_S3_CUSTOM_DOMAIN",
        "access_key": "AWS_ACCESS_KEY_ID",
        "secret_key": "AWS_SECRET_ACCESS_KEY",
        "addressing_style": "AWS_S3_ADDRESSING_STYLE",
        "location": "AWS_LOCATION",
    }
    for option, name in optional.items():
        value = env.str(name, default="").strip()
        if value:
            options[option] = value
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}

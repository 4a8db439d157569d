"""Embedded default of `make run`: SQLite, eager Celery, local-memory cache, console e-mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
# `make run` serves on PORT (8000 by default): links in e-mails and the back office point
# there unless SITE_URL says otherwise.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

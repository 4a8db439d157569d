"""Settings shared by every environment. Secrets and addresses come from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import env_json_object
from config.storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "cms",
    "vendors",
    "markets",
    "shop",
    "payments",
    "reports",
    "outbox",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_htmx",
    "ninja",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.AdminContentSecurityPolicyMiddleware",
    "config.middleware.PlatformAdminOnlyViewsMiddleware",
    "markets.middleware.PageReachMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "shop.context_processors.basket",
            ],
        },
    },
]

# Databases: PostgreSQL in production and CI, SQLite for the embedded default.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: opening one costs a page more than its queries (the product page
# serves half again as many requests with them). The health check replaces a connection the
# server closed in between, instead of failing the next request. A SQLite file (the demo)
# costs nothing to open and keeps no connection across the development server's threads.
_PERSISTENT = 0 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else 60
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=_PERSISTENT))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache, sessions and Celery broker when REDIS_URL is set; in-process otherwise.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    from config.cache import redis_cache_settings

    # A miss while Redis is down: pages are served uncached, sessions from the database.
    CACHES = {"default": redis_cache_settings(REDIS_URL)}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Login throttling: five failures lock a username from one address for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Reverse proxies in front of the application (the TLS proxy: 1). The client's address is
# then read from X-Forwarded-For, as the outermost of them saw it; 0 trusts no header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip_address"

# Languages: French first, English available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Without a separate file server (docker-compose), the application serves uploaded media.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
# Files only the back office hands out, after a permission check (market exports).
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
# Local files by default; an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set.
STORAGES = {
    "default": media_storage(env),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Marchés solidaires <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis broker when REDIS_URL is set, eager in-process execution otherwise.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died is handed to another worker after this delay (Redis has no
# acknowledgement timeout of its own). Every task is safe to run twice, and the outbox
# sweep re-runs unfinished follow-ups within a minute anyway.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 300}
# Publishing a task never hangs a request when the broker is down: the outbox keeps it.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULE: dict = {
    "purge-expired-reservations": {
        "task": "shop.tasks.purge_expired_reservations",
        "schedule": 300.0,
    },
    "outbox-sweep": {"task": "outbox.tasks.sweep", "schedule": 30.0},
    "recover-payments": {"task": "payments.tasks.recover_payments", "schedule": 120.0},
    "announce-markets": {"task": "markets.tasks.announce_markets", "schedule": 60.0},
    # 03:30 in CELERY_TIMEZONE (Europe/Paris): nobody is buying, the list is mailed by morning.
    "reconcile-payments": {"task": "payments.tasks.reconcile_nightly",
                           "schedule": crontab(hour=3, minute=30)},
    "purge-order-access-links": {"task": "shop.tasks.purge_order_access_links",
                                 "schedule": 3600.0},
}

# How long the units of a basket are held once the shopper reaches the payment step.
RESERVATION_MINUTES = env.int("RESERVATION_MINUTES", default=15)
# A payment started before a market closes may still be made this long after closing.
MARKET_CLOSING_GRACE_MINUTES = env.int("MARKET_CLOSING_GRACE_MINUTES", default=30)

# Shoppers without an account: « Retrouver mes commandes » sends a sign-in link valid this
# many seconds, once; the space it opens stays open this long in the browser session.
SHOPPER_ACCESS_LINK_MAX_AGE = env.int("SHOPPER_ACCESS_LINK_MAX_AGE", default=3600)
SHOPPER_ACCESS_SESSION_MAX_AGE = env.int("SHOPPER_ACCESS_SESSION_MAX_AGE", default=2 * 3600)
# Links asked for per e-mail address and per client address, in an hour.
SHOPPER_ACCESS_LINKS_PER_EMAIL = env.int("SHOPPER_ACCESS_LINKS_PER_EMAIL", default=3)
SHOPPER_ACCESS_LINKS_PER_IP = env.int("SHOPPER_ACCESS_LINKS_PER_IP", default=20)
# Donated objects offered per client address and per donor's address, in an hour.
DONATION_OFFERS_PER_IP = env.int("DONATION_OFFERS_PER_IP", default=10)
DONATION_OFFERS_PER_EMAIL = env.int("DONATION_OFFERS_PER_EMAIL", default=5)
# A shopper's contact details are kept after their last order is handed over for the
# 14 days of the right of withdrawal (a return, a refund), and while a card dispute may
# still need them; then the shopper can have them erased. See docs/guide-organisateur.md.
SHOPPER_DATA_KEPT_DAYS = env.int("SHOPPER_DATA_KEPT_DAYS", default=14)
SHOPPER_DATA_KEPT_DAYS_AFTER_DISPUTE = env.int("SHOPPER_DATA_KEPT_DAYS_AFTER_DISPUTE",
                                               default=120)

# Wagtail
WAGTAIL_SITE_NAME = "Marchés solidaires"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "csv", "txt"]
WAGTAILEMBEDS_FINDERS: list = []
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "config.rich_text.RichTextArea"}}

# Content-Security-Policy: only the site itself. The payment step adds Stripe.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Stripe: the real gateway is used when STRIPE_SECRET_KEY is set, the demo gateway otherwise.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_CONNECT_WEBHOOK_SECRET = env("STRIPE_CONNECT_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# Extra parameters of the checkout's PaymentIntent, a JSON object in the environment;
# "{checkout_reference}" is replaced by the checkout's reference.
STRIPE_PAYMENT_INTENT_PARAMS = env_json_object(env, "STRIPE_PAYMENT_INTENT_PARAMS", default={
    "automatic_payment_methods": {"enabled": True},
    "transfer_group": "{checkout_reference}",
})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

"""One settings module, read from the environment, with working defaults for a laptop.

DATABASE_URL chooses the database (PostgreSQL in production and CI); without it the app
uses an embedded SQLite file so a newcomer needs nothing installed.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.formats.en import formats as english_formats

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# Serving with DEBUG off (gunicorn, runserver) needs a real SECRET_KEY. The test run and the other
# management commands (migrate, collectstatic, check, backup...) serve no one, so they may fall
# back to a development key, which `check --deploy` flags as insecure. REQUIRE_SECRET_KEY=1
# demands a real key everywhere.
NOT_SERVING = "pytest" in sys.modules or (
    Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != ["runserver"]
)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if env_bool("REQUIRE_SECRET_KEY") or not (DEBUG or NOT_SERVING):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (DEBUG=1 for development)."
        )
    # The django-insecure- prefix makes `check --deploy` flag this key if it ever ships.
    SECRET_KEY = "django-insecure-development-key-set-SECRET_KEY-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "axes",
    "declaration",
    "signatories",
    "data",
    "importing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags, 304s and the page cache; before sessions, so a cached page skips the rest.
    "config.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The request's language, from its address (config/languages.py): before CommonMiddleware,
    # whose added slash is looked up in that language's addresses.
    "config.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.security.PublicReadOnlyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the 429 response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out address and account never reach the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.caching.data_version",
                "config.languages.languages",
            ],
            "libraries": {"languages": "config.languages"},  # {% load languages %}: in_english
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections, checked before each request reuses them, so a restarted
        # database costs no failed request once it is back.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# A forum's page shows how its members stand with a declaration, so it lives in signatories/,
# which declaration/ knows nothing of: the address is given here, where both are known.
ABSOLUTE_URL_OVERRIDES = {
    "declaration.forum": lambda forum: reverse("signatories:forum-detail", args=[forum.slug]),
}

# The page cache (config/caching.py): each worker's memory, or Redis shared by all of them
# when REDIS_URL is set. Keys carry the data's version, so a change never serves a stale page.
# PAGE_CACHE_SECONDS=0 turns the page cache off (ETags and 304s stay).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A frozen or unreachable Redis costs a request a quarter of a second at most, once:
            # then the page cache's circuit leaves it alone for a while (config/caching.py).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 300},
        }
    ),
    # Template fragments that are slow to render and the same for many pages (the filter form's
    # option lists), keyed by the data version: each worker's memory, a local lookup.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_RETRY_SECONDS = int(os.environ.get("PAGE_CACHE_RETRY_SECONDS", "30"))
# How long a shared cache in front (nginx's proxy_cache, a CDN) may keep a public page before
# asking again with its ETag (Cache-Control s-maxage; browsers always ask). 0: ask every time.
EDGE_CACHE_SECONDS = int(os.environ.get("EDGE_CACHE_SECONDS", "30"))
PAGE_CACHE_MAX_BYTES = 1_000_000  # larger responses are rebuilt each time (or answered 304)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The six official languages of the UN (config/languages.py): English at the site's first
# addresses, the others under /ar/, /zh-hans/, /es/, /fr/ and /ru/. Catalogues in locale/,
# compiled by the set-up (`manage.py compile_translations`), never committed.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("zh-hans", _("Simplified Chinese")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
# Dates are typed ISO in every language (2022-04-29) and shown as each language writes them
# (config/formats/: 29 April 2022, 29 avril 2022, 2022年4月29日...). The active language's
# formats win over the DATE_* settings, which serve only where no language is active (code
# that deactivates translations): the English formats there.
FORMAT_MODULE_PATH = ["config.formats"]
DATE_INPUT_FORMATS = english_formats.DATE_INPUT_FORMATS
DATE_FORMAT = english_formats.DATE_FORMAT
DATETIME_FORMAT = english_formats.DATETIME_FORMAT

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Uploaded import files wait here between the preview and the confirmation (default: the
# system's temporary folder). Every server process must see the same folder.
IMPORT_PENDING_DIR = os.environ.get("IMPORT_PENDING_DIR", "")

STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security. Behind a TLS-terminating proxy set SECURE_SSL_REDIRECT=1 and BEHIND_PROXY=1 (the
# proxy sets X-Forwarded-Proto and appends the client's address to X-Forwarded-For).
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True

# No inline script or style anywhere; the map SVG is embedded with <object> from our own pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Admin login throttling: 5 failures for one account from one address lock that pair out for an
# hour (HTTP 429 and a message); the lock lifts by itself, never permanently.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"

# django-countries knows every ISO 3166-1 code; Kosovo's user-assigned XK is added here.
COUNTRIES_OVERRIDE = {"XK": {"names": ["Kosovo"], "alpha3": "XKX"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The read-only JSON API: public, JSON only, paginated, documented by drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": "data.pagination.Pages",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "data.schema.APISchema",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Declaration tracker API",
    "DESCRIPTION": "Read-only data on who endorsed the Declaration for the Future of the "
    "Internet, when, and on what evidence. The participants endpoint takes the same parameters "
    "as the /participants/ page and returns the same rows.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Deep links put links inside Swagger UI's buttons, which screen readers cannot use.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    # One name for each list of choices, whichever fields use it (a comparison's "change" is an
    # action's kind; how sure a text of the declaration is).
    "ENUM_NAME_OVERRIDES": {
        "ActionKindEnum": "signatories.models.Action.Kind",
        "SourceKindEnum": "signatories.models.Source.Kind",
        "BasisEnum": "declaration.models.Basis",
    },
}

# Past versions are read in the admin, never reverted to: a revert would write around the
# services (signatories/admin_history.py).
SIMPLE_HISTORY_REVERT_DISABLED = True

# After logging in with no (or an off-site) "next", editors land on their admin, not on
# Django's default /accounts/profile/, which this site does not have.
LOGIN_REDIRECT_URL = "admin:index"

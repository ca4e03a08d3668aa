"""Settings for the claim tracker: the only settings module.

Development needs no environment at all (SQLite, DEBUG on). Production is
configured through environment variables only; see README.md for the list.
"""

import hashlib
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config import languages
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# The Atom feed's entry ids are tag: URIs minted by this authority (a domain the site owns)
# from this date; once a feed is published neither may change. By default, the first
# allowed host that is a domain name.
_DOMAIN_HOSTS = [host.lstrip(".") for host in ALLOWED_HOSTS if "." in host.strip(".") and host[-1:].isalpha()]
FEED_TAG_AUTHORITY = env_str("FEED_TAG_AUTHORITY") or (_DOMAIN_HOSTS[0] if _DOMAIN_HOSTS else "claim-tracker.example")
FEED_TAG_DATE = env_str("FEED_TAG_DATE") or "2024"

INSTALLED_APPS = [
    "claims.admin_site.ReviewAdminConfig",  # django.contrib.admin with the review queue
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "sources",
    "claims",
    "reader",
    "desk",
    "search",
    "accounts",
    "dataset",
    "api",
    "django_tasks_db",
    "webhooks",
    "config.apps.DeploymentConfig",  # system checks for the deployment
]

MIDDLEWARE = [
    # A kept public page, to a reader who sends no cookie, before anything else runs (reader.middleware).
    "reader.middleware.KeptPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.headers.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address alone: /ur/, /fa/, /ps/, and English unprefixed.
    "config.middleware.LanguageFromPathMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Before the input checks below, so that their refusals of API requests become problem details too.
    "api.middleware.ApiMiddleware",
    "config.middleware.RefuseUndecodableInputMiddleware",
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
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Databases. SQLite is the embedded default: WAL lets readers proceed while one
# writer writes, IMMEDIATE transactions take the write lock up front (so two
# writers queue on the busy timeout instead of failing with "database is
# locked" on lock upgrade), and the busy timeout is how long they queue. Every
# SQLite database gets them, however it is named (DATABASE_URL=sqlite:///… too).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA cache_size=-32000;"
    ),
}


def with_sqlite_safeguards(database: dict) -> dict:
    """``database`` with SQLITE_OPTIONS when it is SQLite; options it sets itself win."""
    if database.get("ENGINE") != "django.db.backends.sqlite3":
        return database
    return {**database, "OPTIONS": {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}}


DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        database = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {error}") from None
else:
    database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        # In production each worker thread keeps its connection, and with it SQLite's page cache (cache_size
        # above), instead of opening the file, running the pragmas and reading the indexes afresh on every
        # request. Not when debugging: the development server starts a thread per request.
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
    }
DATABASES = {"default": with_sqlite_safeguards(database)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The page cache and the public-data generation counter must be shared by every
# worker process, or an approval (or a withdrawal) would reach only the worker
# that handled it. Redis when configured; otherwise, in production, files that
# all workers on this machine read; local memory only for development.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "claim-tracker"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("DJANGO_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 20000, minimum=100)},
        }
    }


def code_release() -> str:
    """A digest of the code, templates and translations that render pages: a new release never reads the last one's fragments."""
    digest = hashlib.sha256()
    for folder in ("templates", "config", "accounts", "claims", "reader", "desk", "search", "sources", "locale"):
        for path in sorted((BASE_DIR / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".po") and "migrations" not in path.parts:
                digest.update(path.relative_to(BASE_DIR).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Cached pages and fragments hold markup: a deploy that changes it starts with empty keys.
CACHES["default"]["KEY_PREFIX"] = env_str("DJANGO_CACHE_KEY_PREFIX") or code_release()

# Each worker keeps the public pages it served last in memory, up to this many bytes of
# page bodies, and serves them while their generation is current (reader/caching.py).
PUBLIC_PAGE_MEMORY_BYTES = env_int("PUBLIC_PAGE_MEMORY_BYTES", 32 * 1024 * 1024)

# The desk keeps each analyst's home lists and board columns as fragments until the desk
# generation changes (reader/caching.py). Off renders them on every request: the benchmark's
# comparison (bench/run.py --compare desk-fragments) measures what they save.
DESK_FRAGMENTS = env_bool("DESK_FRAGMENTS", True)

# Sessions are read from the shared cache and written through to the database, so a
# logged-in request does not query the database for its session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Django's ModelBackend, with the logged-in account and its roles kept in the shared cache between
# requests (claims/roles.py): a logged-in page asks the database nothing for them.
AUTHENTICATION_BACKENDS = ["claims.roles.CachedAccountBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk:home"  # in the language the analyst logged in with
LOGOUT_REDIRECT_URL = "reader:home"

LANGUAGE_CODE = "en"
# The reader, the desk and logging in are served in these (config/urls.py); the admin and the API in English only.
LANGUAGES = languages.LANGUAGES
LANGUAGES_BIDI = languages.LANGUAGES_BIDI
languages.complete_language_info()
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date and number formats for the languages Django has none for (Urdu, Pashto).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# In development WhiteNoise serves straight from the app folders; in production
# from STATIC_ROOT, filled by collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded sources are read into memory and normalized; anything larger is refused
# with a message (see sources.forms) rather than half-read.
SOURCE_UPLOAD_MAX_BYTES = env_int("SOURCE_UPLOAD_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = SOURCE_UPLOAD_MAX_BYTES + 512 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = SOURCE_UPLOAD_MAX_BYTES + 512 * 1024

# Sources fetched from an address (sources.fetching): only public addresses unless
# private ones are allowed (tests serve pages from 127.0.0.1); bodies larger than
# the maximum are refused while they stream in.
SOURCE_FETCH_ALLOW_PRIVATE = env_bool("SOURCE_FETCH_ALLOW_PRIVATE", False)
SOURCE_FETCH_MAX_BYTES = env_int("SOURCE_FETCH_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)

# Content Security Policy: nothing inline, nothing from elsewhere. Scripts need
# the per-request nonce or must come from our own static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Security headers. Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=on.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Powerful browser features nothing on the site uses, denied to our pages and anything they frame
# (config.headers). FLoC's "interest-cohort" is left out: no browser has it any more, and Chromium
# logs an error for a feature it does not know.
PERMISSIONS_POLICY = dict.fromkeys(
    [
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ],
    (),
)
# A form refused by the CSRF check gets the site's own page (Django's has inline styles the CSP refuses).
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# Preloading is a per-domain commitment that is hard to undo, so it stays an
# explicit opt-in; while it is off, check --deploy need not warn about it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Failed logins per network address, per account from one address, and per account
# (accounts.throttling): after DELAY_AFTER failures each further attempt must wait 1,
# 2, 4 … seconds; ADDRESS_LOCK_AFTER failures from an address lock it, and
# ACCOUNT_LOCK_AFTER failures for an account from one address lock that account from
# that address only, for LOCK_SECONDS. Failures for an account from anywhere never
# lock; they only slow the addresses that made some of them. Failures are
# forgotten WINDOW_SECONDS after the last one. The address is REMOTE_ADDR: behind
# a proxy, either the proxy sets it to the client's address, or it appends the
# client's address to X-Forwarded-For and TRUST_X_FORWARDED_FOR is turned on.
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("LOGIN_THROTTLE_WINDOW_SECONDS", 15 * 60, minimum=1)
LOGIN_THROTTLE_DELAY_AFTER = env_int("LOGIN_THROTTLE_DELAY_AFTER", 3, minimum=1)
LOGIN_THROTTLE_ACCOUNT_LOCK_AFTER = env_int("LOGIN_THROTTLE_ACCOUNT_LOCK_AFTER", 10, minimum=1)
LOGIN_THROTTLE_ADDRESS_LOCK_AFTER = env_int("LOGIN_THROTTLE_ADDRESS_LOCK_AFTER", 50, minimum=1)
LOGIN_THROTTLE_LOCK_SECONDS = env_int("LOGIN_THROTTLE_LOCK_SECONDS", 15 * 60, minimum=1)
LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR = env_bool("LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR", False)

# The API (api/): requests per window of API_RATE_WINDOW_SECONDS, counted in the shared cache per
# client address for requests without a token, per token for requests with one, and per address
# for failed authentications (a request with a token from an address over that limit is refused
# too). The address is read as for the login throttle (LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR).
API_RATE_WINDOW_SECONDS = env_int("API_RATE_WINDOW_SECONDS", 60, minimum=1)
API_RATE_LIMIT_ANONYMOUS = env_int("API_RATE_LIMIT_ANONYMOUS", 120, minimum=1)
API_RATE_LIMIT_TOKEN = env_int("API_RATE_LIMIT_TOKEN", 600, minimum=1)
API_RATE_LIMIT_FAILED_AUTH = env_int("API_RATE_LIMIT_FAILED_AUTH", 20, minimum=1)
# Items per page of an API list when the client does not say (limit=), and the most it may ask for.
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50, minimum=1)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 200, minimum=1)

# Background tasks (django.tasks), kept in the database and run by `manage.py db_worker`, which
# `make run` starts beside the web server. Webhook deliveries are such tasks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Webhooks (webhooks/): the public address of this site, which the addresses in their bodies start
# with (by default https:// and the first allowed host that is a domain name; in development the
# runserver's address); whether endpoints may be at private addresses (a separate decision from
# SOURCE_FETCH_ALLOW_PRIVATE: administrators register endpoints, analysts type source addresses);
# and the retries: WEBHOOK_MAX_ATTEMPTS in all, the first retry WEBHOOK_RETRY_BASE_SECONDS after the
# first failure, each later one twice as long after the one before.
WEBHOOK_SITE_URL = env_str("WEBHOOK_SITE_URL") or (
    f"https://{_DOMAIN_HOSTS[0]}" if _DOMAIN_HOSTS else "http://127.0.0.1:8000"
)
if not WEBHOOK_SITE_URL.startswith(("http://", "https://")) or not WEBHOOK_SITE_URL.split("://", 1)[1].strip("/"):
    raise ImproperlyConfigured(f"WEBHOOK_SITE_URL must be an http:// or https:// address; got {WEBHOOK_SITE_URL!r}.")
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 10, minimum=1)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 60, minimum=1)

# Reviewers may not approve their own work unless a one-person team relaxes it.
REVIEW_FOUR_EYES = env_bool("REVIEW_FOUR_EYES", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

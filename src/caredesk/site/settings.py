"""Django settings, all from the environment.

``CAREDESK_ENV`` is ``development`` unless said otherwise; anywhere else the process
refuses to start with the development secret key or with debug on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(os.environ.get("CAREDESK_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("CAREDESK_VAR", BASE_DIR / "var"))

ENVIRONMENT = os.environ.get("CAREDESK_ENV", "development")
DEVELOPMENT = ENVIRONMENT == "development"
_DEV_SECRET = "caredesk-development-only-secret-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
DEBUG = os.environ.get("DEBUG", "1" if DEVELOPMENT else "0") == "1"
if not DEVELOPMENT:
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value outside development"
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off outside development")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "caredesk.accounts",
    "caredesk.cases",
    "caredesk.automation",
    "caredesk.status",
    "caredesk.web",
    # django-ninja's templates and static files: /api/docs loads Swagger UI from the app,
    # not from a CDN (ninja renders its CDN template when it is not installed).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "caredesk.infra.middleware.JsonBodiesOnly",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "caredesk.web.middleware.ReaderLanguage",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "caredesk.site.urls"
WSGI_APPLICATION = "caredesk.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "caredesk.web.context.reader",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    default = f"sqlite:///{VAR_DIR / 'caredesk.sqlite3'}"
    url = os.environ.get("DATABASE_URL", default)
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock
        # at BEGIN so that concurrent writers queue instead of failing mid-transaction.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = 0
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["ENGINE"] = "caredesk.infra.postgresql"  # Django's, see its docstring
        config["CONN_HEALTH_CHECKS"] = True
        # Django's own queries are never prepared (client-side binding). The few hot reads
        # written by hand (``infra.rows``) are, once per connection, when this is 0; behind
        # PgBouncer in transaction mode older than 1.21, set DATABASE_PREPARE=off.
        prepare = os.environ.get("DATABASE_PREPARE", "on").lower()
        if prepare not in ("on", "off"):
            raise ImproperlyConfigured(f"DATABASE_PREPARE={prepare!r}: expected on or off")
        options = dict(cast(dict[str, object], config.get("OPTIONS") or {}))
        options["prepare_threshold"] = 0 if prepare == "on" else None
        config["OPTIONS"] = options
    else:
        scheme = url.split(":", 1)[0]
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {scheme!r}: expected sqlite or postgres (postgresql)"
        )
    # Every request is one transaction, so a failing use-case never leaves half a change.
    config["ATOMIC_REQUESTS"] = False
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"
# A password-reset link works once, for a day.
PASSWORD_RESET_TIMEOUT = 24 * 3600

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEVELOPMENT

# Request bodies over 256 KiB are refused (413) before any handler runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("CAREDESK_MAX_BODY", 256 * 1024))

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
# Bounded, so that one delivery never outlasts the outbox's lease on its row.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "care@caredesk.invalid")

SESSION_COOKIE_SECURE = not DEVELOPMENT
CSRF_COOKIE_SECURE = not DEVELOPMENT
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

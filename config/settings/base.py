"""Settings shared by every environment. Infrastructure comes from environment variables."""

from __future__ import annotations

import os

from django.utils.translation import gettext_lazy as _

from config.settings.env import (
    BASE_DIR,
    VAR_DIR,
    cache_from_env,
    database_from_env,
    env_bool,
    env_int,
    env_list,
    secret_key_from_env,
)

SECRET_KEY = secret_key_from_env()
DEBUG = env_bool("POLKA_DEBUG", False)
ALLOWED_HOSTS = env_list("POLKA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "polka.core",
    "polka.accounts",
    "polka.org",
    "polka.catalog",
    "polka.search",
    "polka.readers",
    "polka.circulation",
    "polka.events",
    "polka.notices",
    "polka.consents",
    "polka.programmes",
    "polka.courses",
    "polka.reference",
    "polka.news",
    "polka.recommendations",
    "polka.litcal",
    "polka.elibrary",
    "polka.statistics",
    "polka.protocols",
    "polka.promotion",
    "polka.web",
    "polka.api",
    "polka.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "polka.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "polka.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "polka.notices.site.SiteAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "polka.web.middleware.DomainErrorMiddleware",
    # Last, as django-axes requires: it turns throttled logins into a lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "polka.web.context_processors.site",
            ],
            # {% url %} with whole-number reversals kept (polka.core.templatetags.polka_urls)
            "builtins": ["polka.core.templatetags.polka_urls"],
        },
    },
    # Plain-text mail (notices): the same templates, but «Война & мир» must not become «&amp;».
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "NAME": "text",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "polka.readers.auth.ReaderBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:staff-home"
LOGOUT_REDIRECT_URL = "web:home"
# The network's identity on the public site (polka/web/theme.py): a name (else the network's
# own), a logo (a static path such as "web/logo.svg" or an address) and an accent colour,
# darkened if needed to keep 4.5:1 contrast with white.
POLKA_SITE_NAME = os.environ.get("POLKA_SITE_NAME", "")
POLKA_SITE_LOGO = os.environ.get("POLKA_SITE_LOGO", "")
POLKA_ACCENT_COLOR = os.environ.get("POLKA_ACCENT_COLOR", "#0b5394")
# The optional cover service (polka/catalog/cover_service.py): an address with {isbn}, e.g.
# https://covers.openlibrary.org/b/isbn/{isbn}-M.jpg?default=false. Empty (the default): off.
# `polka covers` fetches into the cache; pages show only what is cached.
POLKA_COVER_SERVICE_URL = os.environ.get("POLKA_COVER_SERVICE_URL", "")
POLKA_COVER_CACHE_DIR = os.environ.get("POLKA_COVER_CACHE_DIR", str(VAR_DIR / "covers"))
FORM_RENDERER = "polka.web.forms.FormRenderer"
# Reader cards: "ean13" (13 digits with a check digit; generated ones start with the prefix) or
# "free" (any letters and digits a printed card carries).
POLKA_READER_CARD_FORMAT = os.environ.get("POLKA_READER_CARD_FORMAT", "ean13")
POLKA_READER_CARD_PREFIX = os.environ.get("POLKA_READER_CARD_PREFIX", "2990")

# Login throttling (polka/accounts/throttle.py): 15 minutes of lockout after 5 failures of one
# username from any addresses (a lockout holds from every address), or 20 failures from one
# address over any usernames (a library's public computers share an address). A success
# clears only that username's failures from that address. An administrator lifts a lockout
# with `polka unlock_login` or in the admin ("Access attempts"); both are audited.
AXES_HANDLER = "polka.accounts.throttle.LoginThrottle"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
POLKA_LOGIN_LIMITS = {"username": 5, "ip_address": 20}
# The address is REMOTE_ADDR only, as for the anti-spam limits: headers can be forged.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_ENABLE_ADMIN = False  # polka.org.admin shows the counters to administrators
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# A second factor (TOTP, django-otp) that staff turn on at /staff/two-factor/; once on, every
# login (the admin's too) asks for the code. The authenticator app shows this issuer.
OTP_TOTP_ISSUER = "Polka"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sent on every response by polka.web.middleware.SecurityHeadersMiddleware. Scripts: our own
# files only (no 'unsafe-inline', no eval). Styles may be inline (print pages, htmx's
# indicator style); images may come from platforms' covers over HTTPS.
POLKA_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
POLKA_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", _("Русский")),
    ("en", _("English")),
    ("uz", _("Oʻzbekcha")),
    ("tg", _("Тоҷикӣ")),
    ("ky", _("Кыргызча")),
]
LOCALE_PATHS = [BASE_DIR / "polka" / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Shared by the server's worker processes: search answers (polka.search.cache) live here.
CACHES = {"default": cache_from_env("file")}
# How long a search answer may be reused (it is dropped at once when the index changes); 0: never.
POLKA_SEARCH_CACHE_SECONDS = env_int("POLKA_SEARCH_CACHE_SECONDS", 300)
# How long a public page drawn for visitors who are not signed in may be served again (it is
# dropped at once when what it shows changes: polka.core.pagecache); 0: never.
POLKA_PAGE_CACHE_SECONDS = env_int("POLKA_PAGE_CACHE_SECONDS", 60)
# How long a worker process may reuse the rules matrix and the calendars when lending (another
# process's change shows within this; its own at once); 0: never (polka.circulation.cache).
POLKA_CIRCULATION_CACHE_SECONDS = env_int("POLKA_CIRCULATION_CACHE_SECONDS", 60)

# The site's public address, for links in emails (notices). Empty: the address the current
# request came in on (polka.notices.site), or http://127.0.0.1:8000 outside a request.
POLKA_SITE_URL = os.environ.get("POLKA_SITE_URL", "").rstrip("/")

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Mail to reserved domains (.example, .test ...: the demo's readers) is never handed to the
# mail backend, except in development where the backend writes files a developer reads.
POLKA_MAIL_TO_RESERVED_DOMAINS = False
DEFAULT_FROM_EMAIL = "Polka <noreply@localhost>"

POLKA_VAR_DIR = VAR_DIR
# Which full-text engine serves search: follows the database unless set.
POLKA_SEARCH_ENGINE = "auto"

# One line per job run and per problem on stderr (the journal under systemd); requests are
# logged by gunicorn. POLKA_LOG_JSON=1: each line a JSON object for a log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if env_bool("POLKA_LOG_JSON", False) else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"polka.jobs": {"level": "INFO"}},
}

# Posting to Telegram and VK (polka.promotion): the services' addresses, and how long a post
# waits after publication (the librarian may preview it and skip a channel meanwhile). Tokens
# are sealed with POLKA_SECRETS_KEY (else SECRET_KEY), or read from environment variables.
POLKA_TELEGRAM_API = os.environ.get("POLKA_TELEGRAM_API", "https://api.telegram.org")
POLKA_VK_API = os.environ.get("POLKA_VK_API", "https://api.vk.com/method")
POLKA_PROMOTION_HOLD_MINUTES = env_int("POLKA_PROMOTION_HOLD_MINUTES", 10)
POLKA_SECRETS_KEY = os.environ.get("POLKA_SECRETS_KEY", "")
# Which sites may frame the widgets (/widgets/…): a CSP frame-ancestors source list, e.g.
# "https://portal.example.ru https://school5.example.ru". Every other page may not be framed.
POLKA_WIDGET_FRAME_ANCESTORS = os.environ.get("POLKA_WIDGET_FRAME_ANCESTORS", "*")

# Readers' comments on news: "pre" shows them after a moderator approves, "post" at once
# (moderators are told either way and may reject).
POLKA_COMMENTS_MODERATION = os.environ.get("POLKA_COMMENTS_MODERATION", "pre")
# The literary calendar lists anniversaries every this many years (5: 5, 10, 15, … years).
POLKA_ANNIVERSARY_STEP = env_int("POLKA_ANNIVERSARY_STEP", 5)

# Prometheus metrics at /metrics (django-prometheus), for the addresses in POLKA_METRICS_ALLOW.
# Under gunicorn's several workers set PROMETHEUS_MULTIPROC_DIR to an empty folder as well.
POLKA_METRICS = env_bool("POLKA_METRICS", False)
POLKA_METRICS_ALLOW = env_list("POLKA_METRICS_ALLOW", ["127.0.0.1", "::1"])
if POLKA_METRICS:
    INSTALLED_APPS.append("django_prometheus")
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]

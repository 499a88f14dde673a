"""Production: HTTPS-only cookies, HSTS, hashed static files, secrets from the environment."""

import os

from whitenoise.compress import Compressor

from config.settings.base import *  # noqa: F403
from config.settings.env import cache_from_env, env_bool, env_int

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("POLKA_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# HSTS preload is a deployment choice, off by default: once a domain is on the browsers'
# preload list, every subdomain must serve HTTPS for months, and a library often sits on a
# city's domain it does not control (docs/operations.md). POLKA_HSTS_PRELOAD=1 turns it on;
# off, Django's reminder (security.W021) is silenced so `polka check --deploy` shows 0 issues.
SECURE_HSTS_PRELOAD = env_bool("POLKA_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One cache every application server sees (the search answers, the form rate limits): the
# database unless POLKA_CACHE_URL names a Redis/Valkey server. `polka upgrade` creates the table.
CACHES = {"default": cache_from_env("db")}

# Source maps are for developers with the tools open; compressing them costs most of the time
# `polka upgrade` spends on static files.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# Mail goes to an SMTP server: the machine's own (localhost:25) unless told otherwise.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("POLKA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("POLKA_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("POLKA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("POLKA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("POLKA_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("POLKA_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
SERVER_EMAIL = DEFAULT_FROM_EMAIL

"""Production: HTTPS-only cookies, HSTS, hashed static files, secrets from the environment."""

from config.settings.base import *  # noqa: F403
from config.settings.env import cache_from_env, env_bool

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("POLKA_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One cache every application server sees (the search answers, the form rate limits): the
# database unless POLKA_CACHE_URL names a Redis/Valkey server. `polka upgrade` creates the table.
CACHES = {"default": cache_from_env("db")}

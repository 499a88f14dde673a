"""The test suite: fast password hashing, mail kept in memory, throttling on (it is tested)."""

from config.settings.base import *  # noqa: F403
from config.settings.env import SQLITE_ENGINE

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; prod uses Argon2
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# An in-process cache; search answers are not cached in tests
# (their index changes never commit), except where polka/search/tests/test_cache.py turns it on.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
POLKA_SEARCH_CACHE_SECONDS = 0
# Tests change rows without signals and move the clock; the page cache's own tests turn it on.
POLKA_PAGE_CACHE_SECONDS = 0
# Rolled-back test rows send no signal to empty it (polka.circulation.cache).
POLKA_CIRCULATION_CACHE_SECONDS = 0

# SQLite tests run on a file, not the default shared-cache memory database: concurrency
# tests need real locking (WAL, busy timeout, IMMEDIATE transactions) as in production.
if DATABASES["default"]["ENGINE"] == SQLITE_ENGINE:  # noqa: F405
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"polka-test-{os.getpid()}.sqlite3")
    }

# The default identity, whatever the environment says.
POLKA_ACCENT_COLOR = "#0b5394"
POLKA_SITE_NAME = ""
POLKA_SITE_LOGO = ""
# The cover service is never called from tests (they switch it on with a stand-in fetch).
POLKA_COVER_SERVICE_URL = ""

"""Local development and `make run`: debug on, everything on this machine."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.env import VAR_DIR, env_bool, env_int

DEBUG = env_bool("POLKA_DEBUG", True)
# A template edited during development shows at once (production keeps pages: 60 s).
POLKA_PAGE_CACHE_SECONDS = env_int("POLKA_PAGE_CACHE_SECONDS", 0)

# Mail is written to files, one per message, so every email the demo sends can be read:
# var/mail/ (POLKA_MAIL_DIR to change). Demo addresses are reserved domains: deliver them too.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("POLKA_MAIL_DIR", str(VAR_DIR / "mail"))
POLKA_MAIL_TO_RESERVED_DOMAINS = True

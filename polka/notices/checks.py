"""`polka check --deploy`: a production site must know its own address for links in emails."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register

from polka.notices.site import FALLBACK


@register(deploy=True)
def site_address_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "POLKA_SITE_URL", ""):
        return []
    return [
        Warning(
            f"POLKA_SITE_URL is not set: emails sent outside a request (the scheduled "
            f"`polka notices`) will link to {FALLBACK}.",
            hint="Set POLKA_SITE_URL to the site's public address, e.g. https://library.example.ru",
            id="polka.notices.W001",
        )
    ]

"""Values every page needs: the network's name and the public sections for navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from polka.core.lowvision import body_classes, low_vision
from polka.core.pagecache import request_generation
from polka.org.selectors import network_in_generation
from polka.web.theme import theme_current


def site(request: HttpRequest) -> dict[str, Any]:
    """Lazy: a fragment answered to htmx (a desk scan) draws neither and costs no query."""
    chosen = low_vision(request)
    # Read once per content generation when the page cache looked the page up in one.
    network = SimpleLazyObject(lambda: network_in_generation(request_generation(request)))
    return {
        "network": network,
        "theme": SimpleLazyObject(
            lambda: theme_current(network_name=network.name if network else None)
        ),
        "low_vision": chosen,
        "low_vision_classes": body_classes(chosen),
    }

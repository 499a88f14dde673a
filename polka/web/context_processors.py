"""Values every page needs: the network's name and the public sections for navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from polka.core.lowvision import body_classes, low_vision
from polka.org.selectors import network_current
from polka.web.theme import theme_current


def site(request: HttpRequest) -> dict[str, Any]:
    chosen = low_vision(request)
    network = network_current()
    return {
        "network": network,
        "theme": theme_current(network_name=network.name if network else None),
        "low_vision": chosen,
        "low_vision_classes": body_classes(chosen),
    }

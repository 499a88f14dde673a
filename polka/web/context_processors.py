"""Values every page needs: the network's name and the public sections for navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from polka.org.selectors import network_current
from polka.web.lowvision import body_classes, low_vision


def site(request: HttpRequest) -> dict[str, Any]:
    chosen = low_vision(request)
    return {
        "network": network_current(),
        "low_vision": chosen,
        "low_vision_classes": body_classes(chosen),
    }

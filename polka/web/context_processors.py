"""Values every page needs: the network's name and the public sections for navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from polka.org.selectors import network_current


def site(request: HttpRequest) -> dict[str, Any]:
    return {"network": network_current()}

"""Public pages about becoming a reader."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from polka.org.selectors import branches_overview


def join(request: HttpRequest) -> HttpResponse:
    """How to get a library card: documents, age rules, where (with today's hours)."""
    overview = branches_overview(on=timezone.localdate(), horizon_days=0)
    return render(request, "readers/join.html", {"branches": overview})

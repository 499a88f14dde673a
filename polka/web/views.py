"""Public portal pages and the staff entry page. Views stay thin: selectors do the reading."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from polka.web.health import health_report
from polka.web.selectors import home_page


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"page": home_page(now=timezone.now())})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/staff_home.html")

"""Public portal pages and the staff entry page. Views stay thin: selectors do the reading."""

from __future__ import annotations

import base64
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from polka.accounts.models import User
from polka.core import lowvision
from polka.core.pagecache import public_page
from polka.org.models import Role
from polka.org.policies import staff_can, staff_is_staff
from polka.org.selectors import branches_overview, staff_panels, url_or_none
from polka.org.services import (
    staff_totp_begin,
    staff_totp_confirm,
    staff_totp_device,
    staff_totp_disable,
)
from polka.web.health import health_report, status_lines
from polka.web.selectors import home_page


@public_page()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"page": home_page(now=timezone.now())})


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if safe else "/"


def low_vision_settings(request: HttpRequest) -> HttpResponse:
    """Choose the low-vision settings; kept for a year in a cookie (no personal data)."""
    if request.method == "POST":
        response = redirect(_next(request))
        chosen = lowvision.from_form(request.POST.dict())
        response.set_cookie(
            lowvision.COOKIE, lowvision.serialise(chosen), max_age=365 * 24 * 3600, samesite="Lax"
        )
        return response
    current = lowvision.low_vision(request) or lowvision.parse("")
    groups = [
        (name, lowvision.LABELS[name], choices, current[name])
        for name, choices in lowvision.SETTINGS.items()
    ]
    return render(request, "web/low_vision.html", {"groups": groups, "next": _next(request)})


@require_POST
def low_vision_off(request: HttpRequest) -> HttpResponse:
    response = redirect(_next(request))
    response.delete_cookie(lowvision.COOKIE)
    return response


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, only for the monitoring addresses (POLKA_METRICS_ALLOW)."""
    from django_prometheus.exports import ExportToDjangoView

    if request.META.get("REMOTE_ADDR") not in settings.POLKA_METRICS_ALLOW:
        raise PermissionDenied
    response: HttpResponse = ExportToDjangoView(request)
    return response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


@login_required
def staff_status(request: HttpRequest) -> HttpResponse:
    if not staff_can(user=request.user, action="org.configure"):
        raise PermissionDenied
    lines = status_lines(now=timezone.now())
    return render(request, "web/staff_status.html", {"lines": lines})


def favicon(request: HttpRequest) -> HttpResponse:
    return redirect(static("web/favicon.svg"), permanent=True)


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    panels = staff_panels(user=request.user)
    if not panels:
        context = {"reader_account_url": url_or_none("readers:account")}
        return render(request, "web/staff_not_staff.html", context)
    return render(request, "web/staff_home.html", {"panels": panels})


@login_required
def staff_role(request: HttpRequest, role: str) -> HttpResponse:
    if role not in Role.values:
        raise Http404
    panels = staff_panels(user=request.user, role=role)
    if not panels:
        context = {"role_label": Role(role).label}
        return render(request, "web/staff_forbidden.html", context, status=403)
    return render(request, "web/staff_role.html", {"panel": panels[0]})


@login_required
def staff_two_factor(request: HttpRequest) -> HttpResponse:
    """Turn the second factor (an authenticator app's codes) on or off for one's own account."""
    if not staff_is_staff(user=request.user):
        raise PermissionDenied
    user, now = cast(User, request.user), timezone.now()
    token = request.POST.get("token", "")
    if request.method == "POST":
        if request.POST.get("action") == "disable":
            done = staff_totp_disable(user=user, token=token, by=user, at=now)
            message = _("Двухэтапная проверка выключена.")
        else:
            done = staff_totp_confirm(user=user, token=token, at=now)
            message = _("Двухэтапная проверка включена: при входе будет нужен код.")
        if done:
            messages.success(request, message)
            return redirect("web:staff-two-factor")
        messages.error(request, _("Код не подошёл. Введите текущий код из приложения."))
    device = staff_totp_device(user=user)
    context: dict[str, object] = {"enabled": device is not None}
    if device is None:
        pending = staff_totp_begin(user=user, at=now)
        context["secret"] = base64.b32encode(pending.bin_key).decode()
        context["config_url"] = pending.config_url
    return render(request, "web/staff_two_factor.html", context)


def branch_list(request: HttpRequest) -> HttpResponse:
    overview = branches_overview(on=timezone.localdate())
    return render(request, "web/branch_list.html", {"overview": overview})


def branch_detail(request: HttpRequest, code: str) -> HttpResponse:
    found = branches_overview(on=timezone.localdate(), code=code)
    if not found:
        raise Http404
    return render(request, "web/branch_detail.html", {"item": found[0]})

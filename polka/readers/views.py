"""Public pages about becoming a reader: how to join, and the online pre-registration."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control

from polka.org.selectors import branches_active, branches_overview
from polka.readers import services
from polka.readers.errors import ReaderError
from polka.readers.forms import ApplyForm, apply_error


def join(request: HttpRequest) -> HttpResponse:
    """How to get a library card: documents, age rules, where (with today's hours)."""
    overview = branches_overview(on=timezone.localdate(), horizon_days=0)
    return render(request, "readers/join.html", {"branches": overview})


@cache_control(private=True, no_store=True)
def apply(request: HttpRequest) -> HttpResponse:
    """Fill the form at home, get a temporary number, finish at any desk with a document."""
    form = ApplyForm(request.POST or None, branches=branches_active())
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "consent_personal_data"}
        try:
            pre = services.preregistration_create(
                **data, at=timezone.now(), ip_address=request.META.get("REMOTE_ADDR")
            )
        except ReaderError as refused:
            apply_error(form, refused)
        else:
            return render(request, "readers/applied.html", {"pre": pre})
    status = 400 if request.method == "POST" else 200
    return render(request, "readers/apply.html", {"form": form}, status=status)

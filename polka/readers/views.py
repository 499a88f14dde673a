"""Public pages about becoming a reader: how to join, and the online pre-registration."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control

from polka.core.antispam import HONEYPOT_FIELD, client_ip
from polka.core.publicforms import RateLimit, back, submit
from polka.org.selectors import branches_active, branches_overview
from polka.readers import services
from polka.readers.errors import ReaderError
from polka.readers.forms import ApplyForm, apply_error


def join(request: HttpRequest) -> HttpResponse:
    """How to get a library card: documents, age rules, where (with today's hours)."""
    overview = branches_overview(on=timezone.localdate(), horizon_days=0)
    return render(request, "readers/join.html", {"branches": overview})


APPLY_LIMIT, APPLY_WINDOW = 10, dt.timedelta(hours=1)  # per address
APPLY = RateLimit(
    "readers.apply",
    APPLY_LIMIT,
    APPLY_WINDOW,
    gettext_lazy("Слишком много заявок подряд. Попробуйте позже."),
)


@cache_control(private=True, no_store=True)
def apply(request: HttpRequest) -> HttpResponse:
    """Fill the form at home, get a temporary number, finish at any desk with a document."""
    form = ApplyForm(request.POST or None, branches=branches_active())

    def accept(now: dt.datetime) -> HttpResponse:
        skip = ("consent_personal_data", HONEYPOT_FIELD)
        data = {k: v for k, v in form.cleaned_data.items() if k not in skip}
        pre = services.preregistration_create(**data, at=now, ip_address=client_ip(request))
        return render(request, "readers/applied.html", {"pre": pre})

    bot = back("readers:apply")  # a bot: answer as if nothing happened, store nothing
    done = submit(
        request, form, APPLY, bot=bot, accept=accept, errors=ReaderError, refused=apply_error
    )
    if done is not None:
        return done
    status = 400 if request.method == "POST" else 200
    return render(request, "readers/apply.html", {"form": form}, status=status)

"""The one shape of a public form's POST: honeypot, rate limit, the service's error on the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.http import HttpResponse
from django.test import RequestFactory

from polka.core.antispam import HoneypotMixin
from polka.core.errors import PolkaError
from polka.core.publicforms import RateLimit, Screen, screen, submit

LIMIT = RateLimit("tests.form", 2, dt.timedelta(hours=1), "Слишком часто.")
AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


class NameForm(HoneypotMixin, forms.Form):
    name = forms.CharField()


class Refused(PolkaError):
    message = "Нельзя."


def _post(data: dict[str, str], ip: str = "192.0.2.1") -> tuple[object, NameForm]:
    request = RequestFactory().post("/", data, REMOTE_ADDR=ip)
    form = NameForm(request.POST)
    assert form.is_valid()
    return request, form


@pytest.mark.django_db
def test_a_filled_honeypot_is_a_bot_and_is_not_counted() -> None:
    request, form = _post({"name": "Анна", "website": "http://spam.example"})
    assert screen(request, form, LIMIT, now=AT) is Screen.BOT
    for _n in range(LIMIT.limit):
        request, form = _post({"name": "Анна"})
        assert screen(request, form, LIMIT, now=AT) is Screen.PASSED


@pytest.mark.django_db
def test_over_the_limit_the_message_is_on_the_form_per_address() -> None:
    for _n in range(LIMIT.limit):
        screen(*_post({"name": "Анна"}), LIMIT, now=AT)
    request, form = _post({"name": "Анна"})
    assert screen(request, form, LIMIT, now=AT) is Screen.LIMITED
    assert form.non_field_errors() == ["Слишком часто."]
    other, form = _post({"name": "Анна"}, ip="192.0.2.2")
    assert screen(other, form, LIMIT, now=AT) is Screen.PASSED


@pytest.mark.django_db
def test_submit_answers_with_accept_or_shows_the_domain_error_on_the_form() -> None:
    request, form = _post({"name": "Анна"})

    def refuse(now: dt.datetime) -> HttpResponse:
        raise Refused

    assert submit(request, form, LIMIT, bot=HttpResponse, accept=refuse, errors=Refused) is None
    assert form.non_field_errors() == ["Нельзя."]
    request, form = _post({"name": "Анна"})
    done = submit(
        request,
        form,
        LIMIT,
        bot=HttpResponse,
        accept=lambda now: HttpResponse(status=201),
        errors=Refused,
    )
    assert done is not None and done.status_code == 201

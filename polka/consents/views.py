from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from polka.consents.texts import TEXTS


def consent_text(request: HttpRequest, purpose: str) -> HttpResponse:
    text = TEXTS.get(purpose)
    if text is None:
        raise Http404
    return render(request, "consents/text.html", {"consent": text})

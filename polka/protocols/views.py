"""/sru and /oai: parameters in, the protocol's XML document out."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from polka.protocols.handlers import oai_handle, sru_handle

XML = "text/xml; charset=utf-8"


@csrf_exempt  # harvesters and SRU clients POST forms without a session
@require_http_methods(["GET", "HEAD", "POST"])
def sru_view(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    host, _, port = request.get_host().partition(":")
    body = sru_handle(params.dict(), host=host, port=int(port) if port.isdigit() else 80)
    return HttpResponse(body, content_type=XML)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def oai_view(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    base_url = request.build_absolute_uri(request.path)
    body = oai_handle(dict(params.lists()), base_url=base_url, now=timezone.now())
    return HttpResponse(body, content_type=XML)

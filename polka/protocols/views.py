"""/sru and /oai: parameters in, the protocol's XML document out; the staff page of copy
cataloguing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from polka.catalog.models import Record
from polka.catalog.staff_views import catalog_editor
from polka.protocols.copycat import (
    CopyError,
    CopyQuery,
    copy_query_for,
    copy_search,
    copy_take,
    copy_targets,
)
from polka.protocols.handlers import oai_handle, sru_handle
from polka.protocols.models import CopyTarget

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


@catalog_editor
def copy_view(request: HttpRequest) -> HttpResponse:
    """Copy cataloguing: search the remote targets, preview, import one (POST) as a new record
    or in place of `?record=`. The import searches its target again: nothing is kept between
    the two requests but what the form carries."""
    params = request.POST if request.method == "POST" else request.GET
    query = CopyQuery(title=params.get("title", "")[:300], isbn=params.get("isbn", "")[:30])
    replace = get_object_or_404(Record, pk=params["record"]) if params.get("record") else None
    if (
        replace is not None
        and request.method == "GET"
        and not ("title" in params or "isbn" in params)
    ):
        query = copy_query_for(replace)  # from the record editor: search for this record
    if request.method == "POST":
        target = get_object_or_404(CopyTarget, pk=params.get("target"), is_active=True)
        number = int(params["number"]) if params.get("number", "").isdigit() else 0
        try:
            record = copy_take(target=target, query=query, number=number, by=request.user,
                               at=timezone.now(), replace=replace)  # fmt: skip
        except CopyError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Запись заимствована из «%(target)s».") % {"target": target}
            )
            return redirect("catalog:record", record_id=record.pk)
    answers = copy_search(targets=copy_targets(), query=query) if query.cql() else []
    context = {"query": query, "answers": answers, "replace": replace}
    return render(request, "protocols/copy.html", context)

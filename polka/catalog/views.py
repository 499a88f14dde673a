"""Public catalogue pages (record, browse, selection) and the staff record editor.

Views parse input, check permission, call one service or selector and render; the work is
in public.py, selection.py, gost.py, validation.py and the catalogue services.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from polka.catalog import public
from polka.catalog.gost import describe_parts
from polka.catalog.models import Record
from polka.catalog.record_fields import record_links, record_people, record_rows
from polka.catalog.selection import (
    selection_add,
    selection_clear,
    selection_ids,
    selection_remove,
)

PAGE_SIZE = 20


def _record_or_404(record_id: int) -> Record:
    try:
        return public.record_public(record_id=record_id)
    except Record.DoesNotExist as missing:
        raise Http404 from missing


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["selection_count"] = len(selection_ids(request.session))
    return render(request, template, context)


def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _record_or_404(record_id)
    context = {
        "record": record,
        "gost": describe_parts(record),
        "rows": record_rows(record),
        "links": record_links(record),
        "people": record_people(record),
        "selected": record.pk in selection_ids(request.session),
    }
    return _render(request, "catalog/record_detail.html", context)


def browse(request: HttpRequest) -> HttpResponse:
    page = Paginator(public.records_latest(), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [(r, describe_parts(r)) for r in page.object_list]
    selected = set(selection_ids(request.session))
    context = {"page": page, "entries": entries, "selected": selected}
    return _render(request, "catalog/browse.html", context)


def _selection_entries(request: HttpRequest) -> tuple[list[tuple[Record, Any]], str]:
    records = public.records_in_order(ids=selection_ids(request.session))
    entries = [(r, describe_parts(r)) for r in records]
    text = "\n".join(f"{n}. {d.text}" for n, (_r, d) in enumerate(entries, start=1))
    return entries, text


def selection(request: HttpRequest) -> HttpResponse:
    entries, text = _selection_entries(request)
    return _render(request, "catalog/selection.html", {"entries": entries, "text": text})


def selection_text(request: HttpRequest) -> HttpResponse:
    """The list as a UTF-8 text file, for those who would rather save it than copy it."""
    response = HttpResponse(
        _selection_entries(request)[1] + "\n", content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="spisok-literatury.txt"'
    return response


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("catalog:selection")
    return redirect(target)


@require_POST
def selection_update(request: HttpRequest) -> HttpResponse:
    """Each `record` on the form is put in or taken out of the list as its box is ticked."""
    shown, ticked = (
        _ids(request.POST.getlist("record")),
        set(_ids(request.POST.getlist("selected"))),
    )
    selection_add(request.session, [i for i in shown if i in ticked])
    selection_remove(request.session, [i for i in shown if i not in ticked])
    return _back(request)


@require_POST
def selection_empty(request: HttpRequest) -> HttpResponse:
    selection_clear(request.session)
    return _back(request)

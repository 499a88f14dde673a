"""Public catalogue pages (record, browse, selection) and the staff record editor.

Views parse input, check permission, call one service or selector and render; the work is
in selectors.py, selection.py, gost.py, validation.py and the catalogue services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from polka.catalog import selectors
from polka.catalog.cover_service import cached_cover, image_type, isbn_key
from polka.catalog.gost import describe_parts
from polka.catalog.models import Person, Record
from polka.catalog.record_fields import record_cover, record_links, record_people, record_rows
from polka.catalog.selection import (
    selection_add,
    selection_clear,
    selection_ids,
    selection_remove,
)
from polka.core.pagecache import public_page
from polka.core.paging import OpenPage, open_page
from polka.core.prepared import Statement
from polka.org.models import Branch
from polka.org.policies import staff_can
from polka.org.selectors import url_or_none

PAGE_SIZE = 20


def _record_or_404(record_id: int) -> Record:
    try:
        return selectors.record_public(record_id=record_id)
    except Record.DoesNotExist as missing:
        raise Http404 from missing


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["selection_count"] = len(selection_ids(request.session))
    context["may_edit"] = staff_can(user=request.user, action="catalog.edit")
    return render(request, template, context)


OTHER_BOOKS = 10
NEW_ARRIVALS_DAYS = 180


def cover_image(request: HttpRequest, isbn: str) -> HttpResponse:
    """A cover the optional cover service gave, from the local cache only."""
    key = isbn_key(isbn)
    data = cached_cover(isbn=key) if key else None
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type=image_type(data))
    response["Cache-Control"] = "public, max-age=604800"
    return response


def _copies_version(request: HttpRequest, record_id: int) -> Statement:
    return selectors.record_copies_version(record_id=record_id)


@public_page(version=_copies_version)
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _record_or_404(record_id)
    people = record_people(record)
    authors = [row.person_id for row in people if row.person_id is not None]
    context = {
        "record": record,
        "gost": describe_parts(record),
        "rows": record_rows(record),
        "links": record_links(record),
        "cover": record_cover(record),
        "availability": selectors.record_availability(record=record),
        "people": people,
        "editions": selectors.records_other_editions(record=record, limit=OTHER_BOOKS),
        "others": selectors.records_other_by_people(
            people=authors, exclude=record.pk, limit=OTHER_BOOKS, work_key=record.work_key
        ),
        "selected": record.pk in selection_ids(request.session),
        "reserve_url": url_or_none("circulation:reserve"),
        "absolute_url": request.build_absolute_uri(),
    }
    return _render(request, "catalog/record_detail.html", context)


def author_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person = selectors.person_public(person_id=person_id)
    except Person.DoesNotExist as missing:
        raise Http404 from missing
    ids = selectors.person_record_ids(person_id=person.pk)
    count = selectors.person_record_count(person_id=person.pk)
    page: Page[Any] | OpenPage
    if count is None:  # too many to count on every visit
        page = open_page(ids, request.GET.get("page"), PAGE_SIZE)
    else:
        paginator = Paginator(ids, PAGE_SIZE)
        paginator.count = count  # the count just made, not a second one
        page = paginator.get_page(request.GET.get("page"))
    entries = [(r, describe_parts(r)) for r in selectors.person_records(ids=page.object_list)]
    context = {"person": person, "page": page, "entries": entries, "most": selectors.AUTHOR_COUNTED}
    return _render(request, "catalog/author.html", context)


def new_arrivals(request: HttpRequest, code: str | None = None) -> HttpResponse:
    branch = get_object_or_404(Branch, code=code) if code else None
    since = timezone.localdate() - dt.timedelta(days=NEW_ARRIVALS_DAYS)
    records = selectors.new_arrivals(branch=branch, since=since, limit=None)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "branch": branch,
        "branches": selectors.branches_by_name(),
        "days": NEW_ARRIVALS_DAYS,
        "page": page,
        "entries": [(r, describe_parts(r)) for r in page.object_list],
    }
    return _render(request, "catalog/new_arrivals.html", context)


def browse(request: HttpRequest) -> HttpResponse:
    # Not counted: a COUNT of the whole catalogue on every visit (polka.core.paging).
    page = open_page(selectors.records_latest(), request.GET.get("page"), PAGE_SIZE)
    entries = [(r, describe_parts(r)) for r in page.object_list]
    selected = set(selection_ids(request.session))
    context = {"page": page, "entries": entries, "selected": selected}
    return _render(request, "catalog/browse.html", context)


def _selection_entries(request: HttpRequest) -> tuple[list[tuple[Record, Any]], str]:
    records = selectors.records_in_order(ids=selection_ids(request.session))
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

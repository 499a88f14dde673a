"""Public events pages: the programme ("афиша") with filters, and one event."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from polka.events.forms import EventFilterForm
from polka.events.selectors import event_public, events_upcoming

PAGE_SIZE = 20


def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm.from_query(request.GET or None)
    events = events_upcoming(
        on=timezone.now(), branch=form.chosen_branch(), audience=form.chosen_audience()
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/event_list.html", {"form": form, "page": page})


def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_public(event_id=event_id)
    if event is None:
        raise Http404
    return render(request, "events/event_detail.html", {"event": event})

"""/search/: the public search page (works without JavaScript) and htmx suggestions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from polka.search.forms import SearchForm, page_links
from polka.search.selectors import search_page, search_suggestions


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    # Staff may ask to see every copy, withdrawn ones too.
    staff = request.user.is_staff and request.GET.get("staff") == "1"
    context: dict[str, Any] = {"form": form, "page": None, "staff": staff}
    if form.is_valid() and form.has_search():
        page = search_page(request=form.search_request(), staff=staff)
        context.update(page=page, links=page_links(page, request.GET))
    return render(request, "search/search.html", context)


def suggest(request: HttpRequest) -> HttpResponse:
    records = search_suggestions(text=request.GET.get("q", "")[:200])
    return render(request, "search/_suggestions.html", {"records": records})

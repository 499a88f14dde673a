"""/search/: the public search page (works without JavaScript) and htmx suggestions."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from polka.org.policies import staff_can
from polka.search.cache import results_fragment_key
from polka.search.forms import SearchForm, page_links
from polka.search.selectors import search_page, search_suggestions


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    # Staff who keep the copies may ask to see every copy, withdrawn ones and notes too.
    may_see_staff = staff_can(user=request.user, action="items.manage")
    staff = may_see_staff and request.GET.get("staff") == "1"
    context: dict[str, Any] = {
        "form": form,
        "page": None,
        "staff": staff,
        "may_see_staff": may_see_staff,
    }
    if form.is_valid() and form.has_search():
        search_request = form.search_request()
        # Lazy: when the rendered results are in the cache, the search does not run at all.
        page = functools.cache(lambda: search_page(request=search_request, staff=staff))
        seconds, key = results_fragment_key(query=dict(request.GET.lists()), staff=staff)
        context.update(
            searched=True,
            page=SimpleLazyObject(page),
            links=SimpleLazyObject(lambda: page_links(page(), request.GET)),
            cache_seconds=seconds,
            cache_key=key,
        )
    return render(request, "search/search.html", context)


def suggest(request: HttpRequest) -> HttpResponse:
    records = search_suggestions(text=request.GET.get("q", "")[:200])
    return render(request, "search/_suggestions.html", {"records": records})

"""The search box and its options from the query string (GET, so every search is a permalink)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from polka.search.backends.base import SearchRequest
from polka.search.documents import FACET_FIELDS
from polka.search.selectors import SearchPage

PER_PAGE = 20


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Что искать"), required=False, max_length=500)
    sort = forms.ChoiceField(
        label=_("Порядок"),
        required=False,
        choices=[
            ("relevance", _("сначала подходящие")),
            ("newest", _("сначала новые")),
            ("title", _("по заглавию")),
        ],
    )
    year_from = forms.IntegerField(
        label=_("Год издания с"), required=False, min_value=1, max_value=2999
    )
    year_to = forms.IntegerField(label=_("по"), required=False, min_value=1, max_value=2999)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def filters(self) -> dict[str, list[str]]:
        data = self.data if isinstance(self.data, QueryDict) else QueryDict()
        return {name: data.getlist(name) for name in FACET_FIELDS if data.getlist(name)}

    def has_search(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("q") or data.get("year_from") or data.get("year_to") or self.filters())

    def search_request(self) -> SearchRequest:
        data = self.cleaned_data
        return SearchRequest(
            text=data.get("q") or "",
            filters=self.filters(),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            sort=data.get("sort") or "relevance",
            page=data.get("page") or 1,
            per_page=PER_PAGE,
            exact_total=False,  # a reader pages through RANK_LIMIT hits at most
        )


def facet_toggles(query: QueryDict) -> Callable[[str, str], str]:
    """toggle(name, value): the query string with one facet value switched on or off, back on
    the first page. The query's other parameters are encoded once for all of a page's facet
    links (about 80): a copy of the QueryDict per link, deep-copied and encoded again, cost 3 ms
    a search page. Encoded as QueryDict.urlencode does (each value quote_plus'ed as UTF-8)."""
    lists = [
        (key, values, urlencode([(key, v) for v in values]))
        for key, values in query.lists()
        if key != "page"
    ]

    def toggle(name: str, value: str) -> str:
        parts = []
        found = False
        for key, values, encoded in lists:
            if key == name:
                found = True
                kept = [v for v in values if v != value] if value in values else [*values, value]
                encoded = urlencode([(key, v) for v in kept])
            parts.append(encoded)
        if not found:
            parts.append(urlencode([(name, value)]))
        return "&".join(filter(None, parts))

    return toggle


def with_page(query: QueryDict, page: int) -> str:
    copy = query.copy()
    copy["page"] = str(page)
    return copy.urlencode()


def page_links(page: SearchPage, query: QueryDict) -> dict[str, Any]:
    """Links that keep the search: facet values switched on/off, previous and next page."""
    number = page.results.page
    toggled = facet_toggles(query)
    return {
        "start": (number - 1) * page.results.per_page + 1,
        "facets": [
            (
                group,
                [(option, "?" + toggled(group.name, option.value)) for option in group.options],
            )
            for group in page.facets
        ],
        "previous": "?" + with_page(query, number - 1) if number > 1 else "",
        "next": "?" + with_page(query, number + 1) if number < page.pages else "",
    }

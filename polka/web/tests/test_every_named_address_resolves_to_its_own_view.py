"""Every named address resolves back to its own name: no pattern listed earlier in the root
URLconf swallows a later one (config/urls.py puts the home page's patterns first among the
unprefixed includes, so that "/" does not try every pattern of the others)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter

SAMPLES = {IntConverter: 7, SlugConverter: "sample", StringConverter: "sample"}


def named_patterns(
    resolver: URLResolver, namespace: str = "", converters: dict[str, Any] | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    for entry in resolver.url_patterns:
        found = {**(converters or {}), **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner, found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", found


def test_every_named_address_resolves_to_its_own_name() -> None:
    checked, wrong = 0, []
    for name, converters in named_patterns(get_resolver()):
        if name.startswith("admin:") or any(
            isinstance(c, PathConverter) or type(c) not in SAMPLES for c in converters.values()
        ):
            continue  # Django's admin, and free-form paths that any sample would blur
        kwargs = {key: SAMPLES[type(c)] for key, c in converters.items()}
        path = reverse(name, kwargs=kwargs)
        checked += 1
        if resolve(path).view_name != name:
            wrong.append((name, path, resolve(path).view_name))
    assert checked > 100
    assert wrong == []


def test_the_home_page_resolves_before_the_other_unprefixed_patterns() -> None:
    unprefixed = [
        entry.urlconf_name
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and str(entry.pattern) == ""
    ]
    assert next(getattr(u, "__name__", u) for u in unprefixed) == "polka.web.urls"
    assert resolve("/").view_name == "web:home"

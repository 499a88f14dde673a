"""The CSRF secret and mask Django draws come from polka.core.csrf: 32 characters of Django's
alphabet, uniform, from one read of the random source; and the tokens work as Django's do."""

from __future__ import annotations

import re
from collections import Counter

import django.middleware.csrf as django_csrf
import pytest
from django.test import Client

from polka.core import csrf


def test_django_draws_its_csrf_strings_here() -> None:
    assert django_csrf._get_new_csrf_string is csrf.csrf_string


def test_a_string_has_djangos_length_and_alphabet_and_is_uniform() -> None:
    drawn = [csrf.csrf_string() for _ in range(40_000)]
    assert all(len(s) == django_csrf.CSRF_SECRET_LENGTH for s in drawn)
    assert len(set(drawn)) == len(drawn)
    counts = Counter("".join(drawn))
    assert set(counts) == set(django_csrf.CSRF_ALLOWED_CHARS)
    expected = 40_000 * 32 / len(csrf.CHARS)  # 20,645 each; 5% is 7 standard deviations
    assert all(abs(n - expected) < 0.05 * expected for n in counts.values())


def test_dropped_bytes_draw_again(monkeypatch: pytest.MonkeyPatch) -> None:
    reads = iter([bytes([255] * 40 + [0] * 8), bytes(range(48))])
    monkeypatch.setattr("polka.core.csrf.secrets.token_bytes", lambda n: next(reads))
    # 8 kept from the first read (all "a"), 24 from the second (its first 24 bytes).
    assert csrf.csrf_string() == "a" * 8 + csrf.CHARS[:24]


@pytest.mark.django_db
def test_a_page_drawn_for_a_new_visitor_carries_a_token_that_a_post_passes_with() -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/")
    cookie = client.cookies["csrftoken"].value
    token = re.search(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page.content)
    assert token is not None and len(cookie) == 32
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 403
    answer = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/", "csrfmiddlewaretoken": token.group(1).decode()},
    )
    assert answer.status_code == 302

"""User text is cleaned before it is stored; honeypots and rate limits stop floods."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import timezone

from polka.core.antispam import HoneypotMixin, rate_limit_hit
from polka.core.sanitize import clean_html, clean_text, count_links


def test_plain_text_loses_tags_and_control_characters_but_keeps_its_words():
    assert clean_text("<script>alert(1)</script>Привет,\x00  <b>мир</b>") == "Привет, мир"
    assert clean_text("a < b & c") == "a < b & c"
    assert clean_text("one\r\n\r\n\r\n\r\ntwo") == "one\n\ntwo"
    assert clean_text("x" * 50, max_length=10) == "x" * 10


def test_rich_text_keeps_safe_markup_only():
    dirty = (
        '<p onclick="x()">Текст <a href="javascript:alert(1)">плохо</a> '
        '<a href="https://example.org">хорошо</a></p><iframe src="//evil"></iframe>'
    )
    clean = clean_html(dirty)
    assert "onclick" not in clean and "javascript" not in clean and "iframe" not in clean
    assert 'href="https://example.org"' in clean and "nofollow" in clean


def test_links_are_counted():
    assert count_links("see https://a.ru and www.b.ru, not c.ru") == 2


class _Form(HoneypotMixin, forms.Form):
    name = forms.CharField()


def test_a_filled_honeypot_marks_the_form_as_spam():
    assert _Form({"name": "x", "website": "http://spam"}).honeypot_tripped()
    assert not _Form({"name": "x"}).honeypot_tripped()


@pytest.mark.django_db
def test_a_rate_limit_blocks_past_the_limit_and_lets_in_after_the_window():
    now = timezone.now()
    window = dt.timedelta(minutes=10)
    hits = [
        rate_limit_hit(scope="t", key="1.2.3.4", limit=3, window=window, now=now) for _ in range(4)
    ]
    assert hits == [False, False, False, True]
    assert not rate_limit_hit(scope="t", key="5.6.7.8", limit=3, window=window, now=now)
    later = now + window + dt.timedelta(seconds=1)
    assert not rate_limit_hit(scope="t", key="1.2.3.4", limit=3, window=window, now=later)

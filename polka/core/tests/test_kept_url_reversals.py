"""{% url %} with whole-number reversals kept (polka.core.templatetags.polka_urls) gives what
Django's own tag gives: for every number, under another script prefix, with `as`, and for what
it does not keep (keyword and text arguments, a pattern the arguments do not fit)."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, Template
from django.template.defaulttags import URLNode
from django.urls import NoReverseMatch, reverse, set_script_prefix

from polka.core.templatetags.polka_urls import KeptURLNode

pytestmark = pytest.mark.django_db


def _ours(source: str, **context: object) -> str:
    """A template of the project's own engine: {% url %} is the kept one there."""
    return Engine.get_default().from_string(source).render(Context(context))


def _djangos(source: str, **context: object) -> str:
    return Template(source, engine=Engine()).render(Context(context))


def test_the_project_templates_use_the_kept_tag() -> None:
    template = Engine.get_default().from_string("{% url 'catalog:record' 1 %}")
    assert isinstance(template.nodelist[0], KeptURLNode)
    assert type(Template("{% url 'catalog:record' 1 %}", engine=Engine()).nodelist[0]) is URLNode


@pytest.mark.parametrize("pk", [0, 7, 42, 10**12, 738_291_046_517])
def test_each_number_gives_the_url_django_gives(pk: int) -> None:
    source = "{% url 'catalog:record' pk %}|{% url 'catalog:record' pk as link %}[{{ link }}]"
    assert _ours(source, pk=pk) == _djangos(source, pk=pk)
    assert _ours(source, pk=pk).startswith(reverse("catalog:record", args=[pk]) + "|")


def test_several_numbers_and_no_number() -> None:
    revert = "{% url 'catalog-staff:revert' 12 345 %}"
    assert _ours(revert) == _djangos(revert) == reverse("catalog-staff:revert", args=[12, 345])
    assert _ours("{% url 'catalog:browse' %}") == reverse("catalog:browse")


def test_under_another_script_prefix_the_links_follow_it() -> None:
    first = _ours("{% url 'catalog:record' 5 %}")
    set_script_prefix("/library/")
    try:
        assert _ours("{% url 'catalog:record' 5 %}") == "/library" + first
    finally:
        set_script_prefix("/")
    assert _ours("{% url 'catalog:record' 5 %}") == first


def test_what_it_does_not_keep_is_reversed_as_django_does() -> None:
    keyword = "{% url 'catalog:record' record_id=9 %}"
    assert _ours(keyword) == _djangos(keyword) == reverse("catalog:record", args=[9])
    text = "{% url 'catalog:record' pk %}"
    assert _ours(text, pk="11") == _djangos(text, pk="11")
    for bad in (-3, "x"):  # a pattern of digits fits neither: refused, as Django refuses it
        with pytest.raises(NoReverseMatch):
            _ours(text, pk=bad)
    assert _ours("{% url 'catalog:record' -3 as link %}[{{ link }}]") == "[]"

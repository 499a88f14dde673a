"""`polka upgrade` rebuilds a search index built with another version's word analysis."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from polka.cli.upgrade import upgrade_run
from polka.search.content import content_index, content_search
from polka.search.indexing import index_analysis_current
from polka.search.models import SearchIndexState

pytestmark = pytest.mark.django_db

migration = importlib.import_module("polka.search.migrations.0008_index_analysis")
facets_once = importlib.import_module("polka.search.migrations.0009_facets_once_each")


@pytest.fixture(autouse=True)
def _no_static_files(monkeypatch):
    monkeypatch.setattr("polka.cli.upgrade._collect_static", lambda: None)


def test_an_index_of_another_analysis_is_rebuilt_once(monkeypatch):
    SearchIndexState.objects.update_or_create(pk=1, defaults={"generation": "x", "analysis": 1})
    first = upgrade_run(at=timezone.now(), backup=False)
    assert [line for line in first.done if "word analysis" in line], first.done
    assert index_analysis_current()
    assert upgrade_run(at=timezone.now(), backup=False).done == []


def test_a_current_or_never_built_index_is_left_alone():
    assert upgrade_run(at=timezone.now(), backup=False).done == []
    content_index(kind="news", object_id=1, title="Вечер памяти Чехова", body="")
    assert upgrade_run(at=timezone.now(), backup=False).done == []
    assert content_search(kind="news", text="Чехов").ids == [1]


def test_the_migration_marks_an_index_built_before_versions_were_kept():
    SearchIndexState.objects.all().delete()
    migration.mark_existing_index(apps, None)  # nothing indexed: nothing to rebuild
    assert index_analysis_current()
    content_index(kind="news", object_id=1, title="Праздник", body="")
    migration.mark_existing_index(apps, None)
    assert SearchIndexState.objects.get(pk=1).analysis == migration.BEFORE_VERSIONS
    assert not index_analysis_current()


def test_the_facets_migration_marks_an_empty_index_current_and_leaves_a_built_one_to_rebuild():
    SearchIndexState.objects.update_or_create(pk=1, defaults={"generation": "x", "analysis": 2})
    facets_once.mark_empty_index(apps, None)
    assert index_analysis_current()
    content_index(kind="news", object_id=1, title="Праздник", body="")
    SearchIndexState.objects.filter(pk=1).update(analysis=2)
    facets_once.mark_empty_index(apps, None)
    assert not index_analysis_current()

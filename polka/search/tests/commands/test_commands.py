import io
import json

import pytest
from django.core.management import call_command

from polka.search.tests.factories import make_record

pytestmark = pytest.mark.django_db


def test_search_command_prints_hits_as_json():
    record = make_record("Мастер и Маргарита", authors=("Булгаков, Михаил",), year=1990)
    out = io.StringIO()
    call_command("search", "мастер", "--json", "--limit", "5", stdout=out)
    found = json.loads(out.getvalue())
    assert found["total"] == 1
    (hit,) = found["hits"]
    assert hit["id"] == record.id and hit["control_number"] == record.control_number
    assert hit["title"] == "Мастер и Маргарита" and hit["authors"] == ["Булгаков, Михаил"]
    assert hit["year"] == 1990 and hit["score"] > 0


def test_search_command_reads_one_query_per_line_from_stdin(monkeypatch):
    master = make_record("Мастер и Маргарита")
    guard = make_record("Белая гвардия")
    monkeypatch.setattr("sys.stdin", io.StringIO("мастер\nгвардия\nнетакогослова\n"))
    out = io.StringIO()
    call_command("search", "-", "--json", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [[h["id"] for h in line["hits"]] for line in lines] == [[master.id], [guard.id], []]


def test_reindex_command_reports_the_count():
    make_record("Мастер и Маргарита", index=False)
    out = io.StringIO()
    call_command("reindex", stdout=out, verbosity=0)
    assert out.getvalue().startswith("indexed 1 records")
    found = io.StringIO()
    call_command("search", "мастер", "--json", stdout=found)
    assert json.loads(found.getvalue())["total"] == 1

import pytest


@pytest.mark.django_db
def test_healthz_names_the_database_and_search_engines_in_use(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"]["engine"] in {"sqlite", "postgresql"}
    assert body["search"]["engine"] in {"sqlite-fts5", "postgresql-fts"}

import pytest


@pytest.mark.django_db
def test_healthz_names_the_database_and_search_engines_in_use(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"]["engine"] in {"sqlite", "postgresql"}
    assert body["search"]["engine"] in {"sqlite-fts5", "postgresql-fts"}


def test_health_tells_the_oldest_waiting_email_and_the_last_backup(client, db):
    import datetime as dt

    from django.utils import timezone

    from polka.notices.models import Notice
    from polka.org.models import AuditEntry

    body = client.get("/healthz").json()
    assert body["notices"] == {"waiting": 0, "oldest_seconds": 0}
    assert body["backup"] == {"last": None}
    now = timezone.now()
    Notice.objects.create(
        kind="t", to_email="a@b.ru", subject="s", body="b", created_at=now,
        send_after=now - dt.timedelta(minutes=10),
    )  # fmt: skip
    AuditEntry.objects.create(at=now - dt.timedelta(hours=5), action="backup_create")
    body = client.get("/healthz").json()
    assert body["notices"]["waiting"] == 1 and body["notices"]["oldest_seconds"] >= 600
    backed_up = dt.datetime.fromisoformat(body["backup"]["last"])
    assert abs(backed_up - (now - dt.timedelta(hours=5))) < dt.timedelta(seconds=1)

"""The record's work key on its authorships, as a 64-bit digest (RecordAuthor.work_digest), in
the (person, year, record) index: "other books by these authors" passes over the editions of
the record's own work there instead of reading each record. PostgreSQL keeps the index's order
(0013) and carries the digest as an INCLUDE column; SQLite, which has no INCLUDE, as a fourth
column. The digests are worked out in Python (neither engine has the hash), once per distinct
work key, and written through a scratch table in one UPDATE."""

from django.db import migrations, models

NAME = "catalog_author_person_year"
SCRATCH = "catalog_work_digest_fill"
BATCH = 5000


def _index(schema_editor, digest: bool) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")
    if schema_editor.connection.vendor == "postgresql":
        include = " INCLUDE (work_digest)" if digest else ""
        schema_editor.execute(
            f"CREATE INDEX {NAME} ON catalog_recordauthor "
            f"(person_id, year DESC NULLS LAST, record_id DESC){include}"
        )
    else:
        extra = ", work_digest" if digest else ""
        schema_editor.execute(
            f"CREATE INDEX {NAME} ON catalog_recordauthor (person_id, year, record_id{extra})"
        )


def fill(apps, schema_editor):
    from polka.catalog.models import work_digest

    execute = schema_editor.execute
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT work_key FROM catalog_record WHERE work_key <> ''")
        keys = [row[0] for row in cursor.fetchall()]
        if keys:
            execute(f"CREATE TEMPORARY TABLE {SCRATCH} (work_key varchar(255) PRIMARY KEY, digest bigint)")
            for start in range(0, len(keys), BATCH):
                cursor.executemany(
                    f"INSERT INTO {SCRATCH} (work_key, digest) VALUES (%s, %s)",
                    [(key, work_digest(key)) for key in keys[start : start + BATCH]],
                )
            execute(
                "UPDATE catalog_recordauthor SET work_digest = ("
                f"SELECT w.digest FROM catalog_record r JOIN {SCRATCH} w ON w.work_key = r.work_key "
                "WHERE r.id = catalog_recordauthor.record_id) "
                "WHERE record_id IN (SELECT id FROM catalog_record WHERE work_key <> '')"
            )
            execute(f"DROP TABLE {SCRATCH}")
    _index(schema_editor, digest=True)


def unfill(apps, schema_editor):
    _index(schema_editor, digest=False)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0013_author_year")]

    operations = [
        migrations.AddField(
            model_name="recordauthor",
            name="work_digest",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(fill, unfill),
    ]

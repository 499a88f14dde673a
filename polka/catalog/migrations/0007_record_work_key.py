"""The work key on every record (polka.catalog.works), indexed; existing records get theirs
from their stored source (a record whose source cannot be read: from its title and first
author)."""

from typing import Any

from django.db import migrations, models

BATCH = 1000


def fill_work_keys(apps: Any, schema_editor: Any) -> None:
    from polka.catalog.works import stored_work_key, work_key

    Record = apps.get_model("catalog", "Record")
    RecordAuthor = apps.get_model("catalog", "RecordAuthor")
    changed = []
    records = Record.objects.only("id", "format", "source", "source_encoding", "title", "parts")
    for record in records.order_by("id").iterator(chunk_size=BATCH):
        key = stored_work_key(
            source=bytes(record.source or b""),
            flavour=record.format,
            encoding=record.source_encoding or "utf-8",
        )
        if key is None:
            first = (
                RecordAuthor.objects.filter(record_id=record.id)
                .order_by("position")
                .values_list("person__name", flat=True)
                .first()
            )
            key = work_key(title=record.title, parts=record.parts, author=first or "")
        if key:
            record.work_key = key
            changed.append(record)
        if len(changed) >= BATCH:
            Record.objects.bulk_update(changed, ["work_key"])
            changed = []
    Record.objects.bulk_update(changed, ["work_key"])


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0006_record_created_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='record',
            name='work_key',
            field=models.CharField(blank=True, default='', max_length=255, verbose_name='ключ произведения'),
        ),
        migrations.AddIndex(
            model_name='record',
            index=models.Index(fields=['work_key', 'year'], name='catalog_record_work'),
        ),
        migrations.RunPython(fill_work_keys, migrations.RunPython.noop),
    ]

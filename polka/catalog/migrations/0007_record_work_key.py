"""The work key on every record (polka.catalog.works), indexed; existing records get theirs
from their stored source (a record whose source cannot be read: from its title and first
author)."""

from typing import Any

from django.db import migrations, models


def fill_work_keys(apps: Any, schema_editor: Any) -> None:
    from polka.catalog.works import work_keys_refresh

    records = apps.get_model("catalog", "Record").objects.all()
    work_keys_refresh(records, apps.get_model("catalog", "RecordAuthor").objects.all())


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

"""Two single-column indexes that another index begins with: (person_id) beside
catalog_author_person_record (person_id, record_id), and (record_id) beside the unique
(record_id, isbn). Dropped by name rather than by AlterField, which on SQLite copies the whole
table to drop an index."""

import django.db.models.deletion
from django.db import migrations, models

COVERED = [
    ("catalog_recordauthor_person_id_05d80801", "catalog_recordauthor", "person_id"),
    ("catalog_recordisbn_record_id_ae4fc588", "catalog_recordisbn", "record_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0011_person_anniversary_years"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="recordauthor",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="authorships",
                        to="catalog.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="recordisbn",
                    name="record",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="isbn_keys",
                        to="catalog.record",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in COVERED
            ],
        ),
    ]

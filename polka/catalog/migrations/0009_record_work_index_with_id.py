from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_author_person_record_index")]

    operations = [
        migrations.RemoveIndex(model_name="record", name="catalog_record_work"),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(
                fields=["work_key", "year", "id"], name="catalog_record_work_year_id"
            ),
        ),
    ]

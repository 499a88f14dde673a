# RateEvent moved from polka.web to polka.core: state only, the table (web_rateevent) stays.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [("web", "0001_initial")]  # web created the table

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RateEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("scope", models.CharField(max_length=50)),
                        ("key", models.CharField(max_length=200)),
                        ("at", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "web_rateevent",
                        "indexes": [models.Index(fields=["scope", "key", "at"], name="web_rate_lookup")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

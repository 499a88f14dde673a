# RateEvent now belongs to polka.core (its 0001 takes over the state); the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("web", "0002_cache_table"), ("core", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RateEvent")],
            database_operations=[],
        ),
    ]

"""The database cache's table, when the settings use one (production's default): shared by every
application server, so `migrate` alone makes a new server ready. A no-op for other caches."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("web", "0001_initial")]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
        # RateEvent moved to polka.core (its 0001 holds the state now); the table stays. State
        # only, so a database that applied this migration before needs nothing new.
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RateEvent")], database_operations=[]
        ),
    ]

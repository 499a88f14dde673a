"""The database cache's table unlogged on PostgreSQL (polka.core.dbcache): a database made
before keeps its logged table until this runs createcachetable again."""

from django.core.management import call_command
from django.db import migrations


def prepare_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("web", "0002_cache_table")]

    operations = [migrations.RunPython(prepare_cache_table, migrations.RunPython.noop)]

"""One consent mechanism for the whole project: readers.Consent is gone (see 0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("readers", "0003_consents_and_registrations_moved")]

    operations = [
        migrations.RemoveField(model_name="consent", name="reader"),
        migrations.DeleteModel(name="Consent"),
    ]

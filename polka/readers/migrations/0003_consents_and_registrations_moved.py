"""The consents readers.Consent held become polka.consents records tied to their reader, and
each existing reader gets the registration fact of the year they were registered in."""

from django.db import migrations

CHANNEL_ONLINE = "online"
CHANNEL_DESK = "desk"


def move(apps, schema_editor):
    Consent = apps.get_model("readers", "Consent")
    ConsentRecord = apps.get_model("consents", "ConsentRecord")
    ReaderConsent = apps.get_model("readers", "ReaderConsent")
    Reader = apps.get_model("readers", "Reader")
    Registration = apps.get_model("readers", "Registration")
    for old in Consent.objects.select_related("reader").order_by("pk").iterator():
        reader = old.reader
        record = ConsentRecord.objects.create(
            purpose=old.purpose,
            text_version=old.text_version,
            given_at=old.given_at,
            ip_address=old.ip_address,
            name=f"{reader.last_name} {reader.first_name}".strip()[:200],
            email=reader.email,
            context=f"readers.reader:{reader.pk}",
            withdrawn_at=old.withdrawn_at,
            channel=CHANNEL_ONLINE if old.ip_address else CHANNEL_DESK,
        )
        ReaderConsent.objects.create(reader=reader, record=record)
    Registration.objects.bulk_create(
        Registration(
            reader_id=reader.pk,
            year=reader.registered_at.year,
            at=reader.registered_at,
            branch_id=reader.home_branch_id,
            category=reader.category_id,
            is_new=True,
        )
        for reader in Reader.objects.order_by("pk").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("readers", "0002_one_card_guardians_consents")]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]

from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "polka.protocols"
    label = "protocols"

    def ready(self) -> None:
        # The catalogue knows nothing of OAI-PMH; a deleted record leaves its tombstone here.
        from django.db.models.signals import pre_delete

        from polka.catalog.models import Record
        from polka.protocols.services import tombstone_on_delete

        pre_delete.connect(tombstone_on_delete, sender=Record, dispatch_uid="oai-tombstone")
        # Saved and imported records get their MARCXML written for SRU and OAI-PMH.
        from polka.catalog.indexer import register_listener
        from polka.protocols.records import marcxml_refresh

        register_listener(marcxml_refresh)

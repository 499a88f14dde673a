from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "polka.reference"
    label = "reference"

    def ready(self) -> None:
        from polka.notices.services import register_producer
        from polka.reference.services import reminders_queue

        register_producer("reference.reminders", reminders_queue)

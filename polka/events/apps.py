from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "polka.events"
    label = "events"

    def ready(self) -> None:
        from polka.events.services import reminders_queue
        from polka.notices.services import register_producer

        register_producer("events.reminders", reminders_queue)

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "polka.events"
    label = "events"

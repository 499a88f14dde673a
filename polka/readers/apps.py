from django.apps import AppConfig


class ReadersConfig(AppConfig):
    name = "polka.readers"
    label = "readers"

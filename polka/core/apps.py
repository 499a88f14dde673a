from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "polka.core"
    label = "core"

from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "polka.consents"
    label = "consents"

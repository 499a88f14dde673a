from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "polka.programmes"
    label = "programmes"

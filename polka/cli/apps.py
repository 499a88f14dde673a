from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "polka.cli"
    label = "cli"

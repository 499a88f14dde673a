from django.apps import AppConfig


class ElibraryConfig(AppConfig):
    name = "polka.elibrary"
    label = "elibrary"

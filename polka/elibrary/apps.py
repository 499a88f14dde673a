from django.apps import AppConfig


class ElibraryConfig(AppConfig):
    name = "polka.elibrary"
    label = "elibrary"

    def ready(self) -> None:
        from polka.elibrary import readers

        readers.register()

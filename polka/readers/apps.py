from django.apps import AppConfig


class ReadersConfig(AppConfig):
    name = "polka.readers"
    label = "readers"

    def ready(self) -> None:
        from polka.readers import export

        export.register()

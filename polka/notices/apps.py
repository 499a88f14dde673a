from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "polka.notices"
    label = "notices"

    def ready(self) -> None:
        from polka.notices import checks  # noqa: F401 - registers the deploy check

from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "polka.org"
    label = "org"

    def ready(self) -> None:
        from polka.org import signals  # noqa: F401  (connects the sign-in audit receivers)

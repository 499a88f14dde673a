from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "polka.org"
    label = "org"

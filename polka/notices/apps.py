from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "polka.notices"
    label = "notices"

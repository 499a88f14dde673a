from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "polka.api"
    label = "api"

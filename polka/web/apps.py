from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "polka.web"
    label = "web"

from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "polka.reference"
    label = "reference"

from django.apps import AppConfig


class LitcalConfig(AppConfig):
    name = "polka.litcal"
    label = "litcal"

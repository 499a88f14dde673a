from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "polka.search"
    label = "search"

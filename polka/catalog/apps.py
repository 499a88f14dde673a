from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "polka.catalog"
    label = "catalog"

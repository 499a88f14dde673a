from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "polka.news"
    label = "news"

from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "polka.recommendations"
    label = "recommendations"

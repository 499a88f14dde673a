from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "polka.statistics"
    label = "statistics"
    verbose_name = "Статистика: 6-НК и дневник"

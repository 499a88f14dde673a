from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "polka.courses"
    label = "courses"

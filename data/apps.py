from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "data"
    verbose_name = "Data for programs and reports"

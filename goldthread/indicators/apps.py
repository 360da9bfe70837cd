from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "goldthread.indicators"
    label = "indicators"

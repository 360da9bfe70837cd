from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "goldthread.demo"
    label = "demo"
    verbose_name = "Demo council"

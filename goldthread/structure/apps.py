from django.apps import AppConfig


class StructureConfig(AppConfig):
    name = "goldthread.structure"
    label = "structure"

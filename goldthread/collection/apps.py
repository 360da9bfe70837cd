from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "goldthread.collection"
    label = "collection"
    verbose_name = "Data collection"

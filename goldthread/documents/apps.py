from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "goldthread.documents"
    label = "documents"
    verbose_name = "Documents"

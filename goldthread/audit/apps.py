from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "goldthread.audit"
    label = "audit"

from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "goldthread.committees"
    label = "committees"

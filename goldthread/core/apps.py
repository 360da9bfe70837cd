from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goldthread.core"
    label = "core"

    def ready(self) -> None:
        from goldthread.core.freshness import connect_signals

        connect_signals()

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "goldthread.reminders"
    label = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from goldthread.reminders import signals

        signals.connect()

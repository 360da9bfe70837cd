from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "goldthread.interventions"
    label = "interventions"
    verbose_name = "Interventions"

    def ready(self) -> None:
        from goldthread.interventions import receivers

        receivers.connect()

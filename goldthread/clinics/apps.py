from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "goldthread.clinics"
    label = "clinics"
    verbose_name = "Performance clinics"

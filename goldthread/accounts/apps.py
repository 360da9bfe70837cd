from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "goldthread.accounts"
    label = "accounts"
    verbose_name = "People and roles"

"""`goldthread demo-logins`: print who can sign in to the demo council (make demo shows it)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from goldthread.demo.services import DEFAULT_PASSWORD, demo_logins, login_table


class Command(BaseCommand):
    help = "Print the demo council's logins and their password."

    def handle(self, *args, **options) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write("No demo council is loaded. Run: goldthread load-demo")
            return
        for line in login_table(logins, DEFAULT_PASSWORD):
            self.stdout.write(line)

"""`goldthread load-demo`: load the Stirling demo council into an empty database."""

from __future__ import annotations

import time
from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from goldthread.demo.services import (
    DEFAULT_PASSWORD,
    AlreadyLoaded,
    LoadSummary,
    load_demo,
    login_table,
)


class Command(BaseCommand):
    help = (
        "Load the demo council (Stirling Council's published LGBF figures, with a fictional "
        "organisation, people and illustrative targets) into an empty database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password for every demo login (default: {DEFAULT_PASSWORD}).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing, silently, if a council is already loaded.",
        )

    def handle(self, *args, password: str, if_empty: bool, **options) -> None:
        started = time.perf_counter()
        try:
            summary = load_demo(password=password)
        except AlreadyLoaded as error:
            if if_empty:
                return
            raise CommandError(
                "The demo council is already loaded. Use an empty database to load it again."
            ) from error
        self._report(summary, password, time.perf_counter() - started)

    def _report(self, summary: LoadSummary, password: str, seconds: float) -> None:
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo council in {seconds:.1f} s:"))
        self.stdout.write(
            f"  {summary.indicators} indicators, {summary.values} values, "
            f"{summary.judgements} published judgements, {summary.people} people"
        )
        self.stdout.write("")
        for line in login_table(summary.logins, password):
            self.stdout.write(line)

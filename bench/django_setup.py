"""Shared by the benchmarks that run Goldthread in-process: Django on a fresh database."""

from __future__ import annotations

import os


def setup_django(database_url: str | None, var_dir: str) -> None:
    """Configure Goldthread (demo mode, files in var_dir) and migrate the database."""
    os.environ["GOLDTHREAD_MODE"] = "demo"
    os.environ["GOLDTHREAD_VAR_DIR"] = var_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "goldthread.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

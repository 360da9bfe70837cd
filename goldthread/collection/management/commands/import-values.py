"""goldthread import-values FILE: check a file of figures and store all of it, or none of it.

    goldthread import-values figures.csv --user alice [--dry-run] [--approve] [--format csv]
    goldthread import-values table3.csv --user alice --format defra-env18 --map NI192=ENV1

Prints what the file would add, change and leave unchanged, then every problem as
"row N, column C: message". Any error: nothing is written and the exit status is 1.

`--format` is csv or xlsx (Goldthread's own columns, or the Excel collection template), or a
mapping profile for a published table: lgbf (Scottish benchmarking), defra-env18 (Defra's
waste Table 3) or trafford (Trafford Data Lab's comparator CSV). A profile finds the council's
own rows by its ONS code or name; `--map MEASURE=CODE` (repeatable) or `--mapping FILE` (one
`MEASURE = CODE` per line) says which indicator each published measure goes into; measures
not mapped go into the indicator with the same code, if any.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from goldthread.accounts.models import User
from goldthread.analysis.periods import PeriodError
from goldthread.collection.imports import FORMATS, ImportOutcome, import_values, may_import
from goldthread.collection.profile_settings import NoCouncil, check_mapping, reader_for
from goldthread.imports.profiles import PROFILES, MappingError, Reader

COMMAND_MAX_ROWS = 1_000_000


class Command(BaseCommand):
    help = "Check a CSV or Excel file of figures and import it: every row, or nothing."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The .csv or .xlsx file to import.")
        parser.add_argument(
            "--user", required=True, help="Who is importing (a performance officer)."
        )
        parser.add_argument(
            "--format",
            help="csv or xlsx (by default, from the file name), or a published table's "
            f"profile: {', '.join(sorted(PROFILES))}.",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="MEASURE=CODE",
            help="With a profile: put the published MEASURE into indicator CODE (repeatable).",
        )
        parser.add_argument(
            "--mapping",
            help="With a profile: a text file of MEASURE = CODE lines, one per measure.",
        )
        parser.add_argument(
            "--since",
            metavar="PERIOD",
            help="With a profile: leave out rows for periods before PERIOD (like 2023/24).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and compare, but write nothing."
        )
        parser.add_argument(
            "--approve",
            action="store_true",
            help="Store the figures as approved (and re-judge) instead of submitted.",
        )
        parser.add_argument("--max-rows", type=int, default=COMMAND_MAX_ROWS)

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        fmt = _format(options["format"], path)
        actor = _actor(options["user"])
        reader = _reader(options)
        progress = _progress if sys.stderr.isatty() else None
        outcome = import_values(
            path,
            fmt=fmt,
            actor=actor,
            dry_run=options["dry_run"],
            file_name=path.name,
            approve=options["approve"],
            progress=progress,
            max_rows=options["max_rows"],
            reader=reader,
        )
        if progress is not None:
            sys.stderr.write("\n")
        self._report(outcome)
        if not outcome.ok:
            sys.exit(1)

    def _report(self, outcome: ImportOutcome) -> None:
        write = self.stdout.write
        if outcome.ok:
            verb = "would be" if outcome.dry_run else "were"
            write(f"{outcome.file_name}: {outcome.summary}.")
            if outcome.dry_run:
                write(f"Dry run: nothing was written. {outcome.rows:,} figures {verb} checked.")
            elif outcome.written:
                state = "approved" if outcome.approve else "submitted for approval"
                write(f"{outcome.added + outcome.changed:,} figures were stored, {state}.")
            else:
                write("Nothing changed: every figure in the file is already stored.")
        else:
            write(f"{outcome.file_name}: {outcome.summary}.")
            write(
                f"Nothing was imported: {outcome.error_count:,} "
                f"{'error' if outcome.error_count == 1 else 'errors'} to put right."
            )
        for problem in outcome.problems:
            prefix = "" if problem.is_error else "warning: "
            write(f"{prefix}{problem}")
        if outcome.problems_not_shown:
            write(f"…and {outcome.problems_not_shown:,} more problems not shown.")


def _format(given: str | None, path: Path) -> str:
    if given is None:
        suffix = path.suffix.lower().lstrip(".")
        if suffix in FORMATS:
            return suffix
        raise CommandError(
            f"Cannot tell the format of {path.name} from its name: give --format "
            f"({', '.join(_available())})."
        )
    name = given.lower()
    if name in FORMATS:
        return name
    if name in PROFILES:
        return PROFILES[name].container
    raise CommandError(f'Unknown format "{given}". The formats are: {", ".join(_available())}.')


def _reader(options: dict) -> Reader | None:
    """A profile's reader when --format names one; the mapping checked before any reading."""
    name = (options["format"] or "").lower()
    if name not in PROFILES:
        if options["map"] or options["mapping"] or options["since"]:
            raise CommandError("--map, --mapping and --since go with a published table's --format.")
        return None
    text = _mapping_text(options)
    try:
        check_mapping(text)
        return reader_for(name, text, options["since"] or "")
    except (MappingError, NoCouncil, PeriodError) as error:
        raise CommandError(str(error)) from None


def _mapping_text(options: dict) -> str:
    lines = list(options["map"])
    if options["mapping"]:
        path = Path(options["mapping"])
        if not path.is_file():
            raise CommandError(f"There is no mapping file at {path}.")
        try:
            lines.append(path.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError:
            raise CommandError(f"{path.name} is not UTF-8 text. Save it as UTF-8.") from None
    return "\n".join(lines)


def _available() -> list[str]:
    return [*FORMATS, *sorted(PROFILES)]


def _actor(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f'There is no active user called "{username}".')
    if not may_import(user):
        raise CommandError(f"{username} is not a performance officer, so cannot import figures.")
    return user


def _progress(rows: int) -> None:
    sys.stderr.write(f"\rChecked {rows:,} rows")
    sys.stderr.flush()

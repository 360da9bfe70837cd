"""Benchmark: import 1,000,000 figures from a CSV file into PostgreSQL, checking every row.

Goal (issue): at least 50,000 rows a second with validation, peak memory at most 300 MB.

    .venv/bin/python bench/import_bench.py                 # 1,000,000 rows, throwaway PostgreSQL
    .venv/bin/python bench/import_bench.py --rows 100000 --sqlite

It starts a throwaway PostgreSQL cluster (scripts/pg-cluster.sh), migrates it, makes 200
indicators (monthly, quarterly and annual; a quarter of them rates) and 100 areas, writes a
file of unique figures with bench/import_parse_bench.py's generator, then times, in a child
process so that peak memory is the import's own:

1. the first import (every figure new: staged, compared, inserted with a history row each);
2. a dry run of the same file (checked and compared, nothing written);
3. importing the same file again (every figure unchanged, nothing written).

Peak memory is the child process's peak resident size (resource.getrusage ru_maxrss), which
includes Python, Django and the database driver.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from django_setup import setup_django  # noqa: E402

INDICATORS, AREAS = 200, 100


def _build_council() -> object:
    from import_parse_bench import FREQUENCIES

    from goldthread.accounts.models import Role, User
    from goldthread.indicators.models import Indicator
    from goldthread.structure.models import Area, AreaKind

    Indicator.objects.bulk_create(
        Indicator(
            code=f"IND{n:04d}",
            name=f"Benchmark measure {n}",
            unit="percent" if n % 4 == 0 else "number",
            is_rate=n % 4 == 0,
            decimals=1,
            frequency=FREQUENCIES[n % 3],
        )
        for n in range(INDICATORS)
    )
    Area.objects.bulk_create(
        Area(code=f"E0{n:07d}", name=f"Ward {n}", kind=AreaKind.WARD) for n in range(AREAS)
    )
    return User.objects.create_user("officer", role=Role.PERFORMANCE_OFFICER)


def _timed(label: str, rows: int, run) -> object:
    started = time.perf_counter()
    outcome = run()
    seconds = time.perf_counter() - started
    print(
        f"| {label} | {seconds:.1f} s | {rows / seconds:,.0f} | {outcome.summary} | "
        f"{_peak_mb():.0f} MB |",
        flush=True,
    )
    return outcome


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(backend: str, url: str | None, rows: int) -> None:
    from import_parse_bench import write_file

    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(url, var_dir)
        from django.db import connection

        from goldthread.collection.imports import import_values

        actor = _build_council()
        path = Path(var_dir) / "figures.csv"
        write_file(path, rows, INDICATORS, AREAS)
        size = path.stat().st_size / 1e6
        print(
            f"\n{backend}: {rows:,} rows, {size:.0f} MB file; peak before import "
            f"{_peak_mb():.0f} MB"
        )
        print("| Step | Time | Rows/s | Result | Peak memory so far |")
        print("|---|--:|--:|---|--:|")

        def run(dry_run: bool):
            return lambda: import_values(
                path,
                fmt="csv",
                actor=actor,
                dry_run=dry_run,
                file_name=path.name,
                max_rows=rows,
            )

        first = _timed("first import (all new)", rows, run(False))
        assert first.ok and first.added == rows, first.problems[:5]
        _timed("dry run of the same file", rows, run(True))
        again = _timed("same file again (all unchanged)", rows, run(False))
        assert again.unchanged == rows and not again.written
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM indicators_historicalvalue")
            print(f"history rows: {cursor.fetchone()[0]:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--child", choices=["sqlite", "postgresql"])
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.rows)
        return
    base = [sys.executable, __file__, "--rows", str(args.rows)]
    if args.sqlite:
        subprocess.run([*base, "--child", "sqlite"], check=True)
        return
    pg_dir = tempfile.mkdtemp(prefix="gt-import-bench-pg-")
    port = "54377"
    url = subprocess.run(
        [str(ROOT / "scripts/pg-cluster.sh"), "start", pg_dir, port],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    try:
        subprocess.run([*base, "--child", "postgresql", "--url", url], check=True)
    finally:
        subprocess.run([str(ROOT / "scripts/pg-cluster.sh"), "stop", pg_dir], check=False)


if __name__ == "__main__":
    main()

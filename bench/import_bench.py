"""Benchmark: import 1,000,000 figures from a CSV file into PostgreSQL, checking every row.

Goal (issue): at least 50,000 rows a second with validation, peak memory at most 300 MB.

    .venv/bin/python bench/import_bench.py                 # 1,000,000 rows, throwaway PostgreSQL
    .venv/bin/python bench/import_bench.py --before HEAD~5 # the same, first with older code
    .venv/bin/python bench/import_bench.py --rows 100000 --sqlite

It starts a throwaway PostgreSQL cluster (scripts/pg-cluster.sh, on --port), gives it a
production-like buffer cache (--shared-buffers, 1 GB by default; PostgreSQL's own default of
128 MB is meant for a laptop), migrates it, makes 200 indicators (monthly, quarterly and
annual; a quarter of them rates) and 100 areas, writes a file of unique figures with
bench/import_parse_bench.py's generator, then times, in a child process so that peak memory is
the import's own:

1. the first import (every figure new: staged, compared, inserted with a history row each);
2. a dry run of the same file (checked and compared, nothing written);
3. importing the same file again (every figure unchanged, nothing written).

With --before REV, the same steps run first with the goldthread package as it was at git
revision REV, in its own database on the same cluster, so before and after are measured under
the same load. The machine is shared: alongside wall time the table gives the CPU time of the
Python process and of the PostgreSQL backend serving it, which load on other cores does not
inflate, and the load average when each step ended.

Peak memory is the child process's peak resident size (resource.getrusage ru_maxrss), which
includes Python, Django and the database driver.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
INDICATORS, AREAS = 200, 100
_TICKS = os.sysconf("SC_CLK_TCK")


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


class _Clock:
    """Wall time, this process's CPU time and (on PostgreSQL) the backend's CPU time."""

    def __init__(self, backend_pid: int | None) -> None:
        self.backend_pid = backend_pid

    def read(self) -> tuple[float, float, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return time.perf_counter(), usage.ru_utime + usage.ru_stime, self._backend_cpu()

    def _backend_cpu(self) -> float:
        if self.backend_pid is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self.backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / _TICKS


def _timed(label: str, rows: int, clock: _Clock, run) -> object:
    wall, client, server = clock.read()
    outcome = run()
    wall2, client2, server2 = clock.read()
    seconds = wall2 - wall
    print(
        f"| {label} | {seconds:.1f} s | {rows / seconds:,.0f} | {client2 - client:.1f} s | "
        f"{server2 - server:.1f} s | {outcome.summary} | {_peak_mb():.0f} MB | "
        f"{os.getloadavg()[0]:.1f} |",
        flush=True,
    )
    return outcome


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(backend: str, url: str | None, rows: int, label: str) -> None:
    from django_setup import setup_django
    from import_parse_bench import write_file

    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(url, var_dir)
        from django.db import connection

        from goldthread.collection.imports import import_values

        actor = _build_council()
        path = Path(var_dir) / "figures.csv"
        write_file(path, rows, INDICATORS, AREAS)
        pid = None
        if backend == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
        clock = _Clock(pid)
        size = path.stat().st_size / 1e6
        print(
            f"\n{backend}, {label}: {rows:,} rows, {size:.0f} MB file; peak before import "
            f"{_peak_mb():.0f} MB"
        )
        print(
            "| Step | Time | Rows/s | Python CPU | PostgreSQL CPU | Result | Peak memory | Load |"
        )
        print("|---|--:|--:|--:|--:|---|--:|--:|")

        def run(dry_run: bool):
            return lambda: import_values(
                path,
                fmt="csv",
                actor=actor,
                dry_run=dry_run,
                file_name=path.name,
                max_rows=rows,
            )

        first = _timed("first import (all new)", rows, clock, run(False))
        assert first.ok and first.added == rows, first.problems[:5]
        _timed("dry run of the same file", rows, clock, run(True))
        again = _timed("same file again (all unchanged)", rows, clock, run(False))
        assert again.unchanged == rows and not again.written
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM indicators_historicalvalue")
            print(f"history rows: {cursor.fetchone()[0]:,}")


def _code_at(revision: str, into: Path) -> Path:
    """The goldthread package (and manage.py) as it was at `revision`, extracted into `into`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "goldthread", "manage.py"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def _run_child(code: Path, backend: str, url: str | None, rows: int, label: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(code), str(BENCH)])}
    command = [sys.executable, __file__, "--rows", str(rows), "--child", backend]
    command += ["--label", label] + (["--url", url] if url else [])
    subprocess.run(command, check=True, env=env, cwd=code)


def _tune(pg_dir: str, url: str, shared_buffers: str) -> None:
    """A buffer cache and checkpoint distance like a small production server's."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"ALTER SYSTEM SET shared_buffers = '{shared_buffers}'")
        conn.execute("ALTER SYSTEM SET max_wal_size = '4GB'")
        conn.execute("CREATE DATABASE goldthread_before")
    pg_ctl = str(Path(_pg_bin()) / "pg_ctl")
    owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    # With its log in a file, so that the server does not hold this process's output open.
    restart = [*owner, pg_ctl, "-D", pg_dir, "-l", f"{pg_dir}/log", "-w", "restart"]
    subprocess.run(restart, check=True, stdout=subprocess.DEVNULL)


def _pg_bin() -> str:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return os.environ.get("PG_BIN") or str(found[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--before", metavar="REV", help="first time the code at this revision")
    parser.add_argument("--port", default="54377", help="the throwaway cluster's port")
    parser.add_argument("--shared-buffers", default="1GB")
    parser.add_argument("--child", choices=["sqlite", "postgresql"])
    parser.add_argument("--url")
    parser.add_argument("--label", default="this code")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.rows, args.label)
        return
    with tempfile.TemporaryDirectory(prefix="gt-import-bench-") as scratch:
        before = _code_at(args.before, Path(scratch)) if args.before else None
        if args.sqlite:
            if before:
                _run_child(before, "sqlite", None, args.rows, args.before)
            _run_child(ROOT, "sqlite", None, args.rows, "this code")
            return
        _postgres(args, before)


def _postgres(args: argparse.Namespace, before: Path | None) -> None:
    pg_dir = tempfile.mkdtemp(prefix="gt-import-bench-pg-")
    cluster = str(ROOT / "scripts/pg-cluster.sh")
    url = subprocess.run(
        [cluster, "start", pg_dir, args.port], check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        _tune(pg_dir, url, args.shared_buffers)
        if before:
            _run_child(before, "postgresql", f"{url}_before", args.rows, args.before)
        _run_child(ROOT, "postgresql", url, args.rows, "this code")
    finally:
        subprocess.run([cluster, "stop", pg_dir], check=False)


if __name__ == "__main__":
    main()

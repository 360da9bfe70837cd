"""Benchmark: re-judge a whole council of 2,000 monthly indicators by 120 months.

Goal (issue 3): all judgements computed and stored in under 2 seconds on PostgreSQL.

    .venv/bin/python bench/rejudge_bench.py            # PostgreSQL (throwaway cluster) and SQLite
    .venv/bin/python bench/rejudge_bench.py --sqlite   # SQLite only
    .venv/bin/python bench/rejudge_bench.py --postgresql-url URL  # an empty database you made

It builds the council in a fresh database (and ANALYZEs it on PostgreSQL, as autovacuum would
soon after a load), then times separately:

- the judging alone (reading figures and targets, goldthread.analysis.council.judge_columns,
  building the stored columns; no writes);
- cold: the first full `rejudge()`, every judgement computed, created and stored;
- warm, nothing new: a whole `rejudge()` again with every judgement already stored;
- warm, one new month: a whole `rejudge()` after one new month for every indicator (the
  everyday case).

Each step is repeated `--rounds` times on a fresh council where that makes sense (cold) or
in place (warm, nothing new), and the median is reported with the min-max: wall time, CPU of
this process and of its PostgreSQL server process (together and apart; Python and
PostgreSQL overlap in a cold run), and the load average, so a run on a busy machine can be
told from one on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from django_setup import setup_django  # noqa: E402

INDICATORS, MONTHS = 2000, 120


def _build_council(indicators: int, months: int) -> None:
    from goldthread.analysis.periods import Frequency, Period
    from goldthread.indicators.models import Indicator, TargetVersion, Value, ValueState

    rng = random.Random(7)
    first = Period(Frequency.MONTHLY, 2016, 1)
    periods = [first.shift(i) for i in range(months)]
    created = Indicator.objects.bulk_create(
        Indicator(
            code=f"B{n:05d}",
            name=f"Benchmark measure {n}",
            unit="percent",
            decimals=1,
            polarity=("higher", "lower", "band")[n % 3],
            frequency="monthly",
            accumulation="in_period",
            aggregation="average",
        )
        for n in range(indicators)
    )
    Value.objects.bulk_create(
        (
            Value(
                indicator=indicator,
                period=p.key,
                period_start=p.start,
                value=round(50 + rng.gauss(0, 5) + i * 0.02, 1),
                state=ValueState.PUBLISHED,
            )
            for indicator in created
            for i, p in enumerate(periods[:-1])
        ),
        batch_size=5000,
    )
    TargetVersion.objects.bulk_create(
        TargetVersion(
            indicator=indicator,
            year=year,
            version=1,
            annual_target=52.0,
            tolerance=5.0,
            band_lower=48.0 if indicator.polarity == "band" else None,
            band_upper=55.0 if indicator.polarity == "band" else None,
            reason="Benchmark",
        )
        for indicator in created
        for year in range(2016, 2027)
    )
    return periods


def _add_latest_month(periods) -> None:
    from goldthread.indicators.models import Indicator, Value, ValueState

    last = periods[-1]
    Value.objects.bulk_create(
        (
            Value(
                indicator_id=pk,
                period=last.key,
                period_start=last.start,
                value=51.0,
                state=ValueState.PUBLISHED,
            )
            for pk in Indicator.objects.values_list("pk", flat=True)
        ),
        batch_size=5000,
    )


def _database_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL server process (same machine),
    0 on SQLite (it runs inside this process, so its time is already in process_time)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(label: str, fn, rounds: int = 1, before=None) -> dict[str, list[float]]:
    """Wall-clock seconds per round, and CPU seconds of this process and of its database
    server process: on a shared machine the wall clock also measures everyone else's work,
    while the CPU seconds are what the re-judgement itself costs. Python and PostgreSQL work
    at the same time while judgements are written (ADR 10), so on an idle machine with two
    CPUs the wall time lies between the larger of the two and their sum."""
    wall, python, database, result = [], [], [], None
    for _ in range(rounds):
        if before is not None:
            before()
        started, started_py, started_db = time.perf_counter(), time.process_time(), _database_cpu()
        result = fn()
        wall.append(time.perf_counter() - started)
        python.append(time.process_time() - started_py)
        database.append(_database_cpu() - started_db)
    cpu = [p + d for p, d in zip(python, database, strict=True)]
    print(
        f"  {label}: wall median {_spread(wall)}; CPU (Python + database) median {_spread(cpu)}; "
        f"Python {_spread(python)}, database {_spread(database)}; "
        f"load average now {os.getloadavg()[0]:.2f}  {result if result is not None else ''}",
        flush=True,
    )
    return {"wall": wall, "cpu": cpu, "python": python, "database": database}


def _spread(seconds: list[float]) -> str:
    return f"{statistics.median(seconds):.2f} s ({min(seconds):.2f}-{max(seconds):.2f})"


def _forget_judgements() -> None:
    """Empty the stored judgements and SPC segments: the cold case."""
    from django.db import connection

    from goldthread.indicators.models import Judgement, SpcSegment

    tables = [Judgement._meta.db_table, SpcSegment._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {table}")
            else:
                cursor.execute(f"DELETE FROM {table}")
    _analyze()


def _analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def run(database_url: str | None, var_dir: str, indicators: int, months: int, rounds: int):
    setup_django(database_url, var_dir)
    from django.db import connection

    from goldthread.indicators.models import Indicator, Judgement
    from goldthread.indicators.services import judging

    print(f"{connection.vendor}: {indicators} indicators by {months} months", flush=True)
    print(f"  load average at the start: {os.getloadavg()}", flush=True)
    periods = _build_council(indicators, months)
    _analyze()
    chosen = list(Indicator.objects.all())
    keys = {}
    for pk, period, _value in judging._approved_rows([i.pk for i in chosen]):
        keys.setdefault(pk, set()).add(period)
    results = {
        "compute": _timed(
            "judge only (no writes)",
            lambda: len(judging._judged(chosen, keys).periods),
            rounds,
        ),
        "cold": _timed(
            "cold: rejudge with nothing stored",
            judging.rejudge,
            rounds,
            before=_forget_judgements,
        ),
    }
    _analyze()
    results["warm"] = _timed("warm: rejudge, nothing new", judging.rejudge, rounds)
    _add_latest_month(periods)
    results["next"] = _timed("warm: rejudge after one new month", judging.rejudge)
    results["stored"] = Judgement.objects.count()
    print(f"  judgements stored: {results['stored']}", flush=True)
    print(f"  load average at the end: {os.getloadavg()}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true", help="SQLite only")
    parser.add_argument("--indicators", type=int, default=INDICATORS)
    parser.add_argument("--months", type=int, default=MONTHS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgresql-url", help="an empty PostgreSQL database to use")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory() as var_dir:
            run(args.url, var_dir, args.indicators, args.months, args.rounds)
        return
    base = [sys.executable, __file__, "--indicators", str(args.indicators)]
    base += ["--months", str(args.months), "--rounds", str(args.rounds)]
    if args.postgresql_url:
        subprocess.run([*base, "--child", "postgresql", "--url", args.postgresql_url], check=True)
        return
    subprocess.run([*base, "--child", "sqlite"], check=True)
    if args.sqlite:
        return
    pg_dir = tempfile.mkdtemp(prefix="gt-bench-pg-")
    port = str(55000 + random.randrange(900))
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

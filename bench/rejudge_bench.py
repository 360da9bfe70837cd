"""Benchmark: re-judge a whole council of 2,000 monthly indicators by 120 months.

Goal (issue 3): all judgements computed and stored in under 2 seconds on PostgreSQL.

    .venv/bin/python bench/rejudge_bench.py            # PostgreSQL (throwaway cluster) and SQLite
    .venv/bin/python bench/rejudge_bench.py --sqlite   # SQLite only

It builds the council in a fresh database, then times three things separately:
the judging (reading figures and targets, goldthread.analysis.council.judge_columns), the first
full `rejudge()` (every judgement created and stored), and a second `rejudge()` after one new
month for every indicator (the everyday case: most judgements unchanged).
"""

from __future__ import annotations

import argparse
import random
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


def _timed(label: str, fn) -> float:
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.2f} s  {result if result is not None else ''}")
    return seconds


def run(database_url: str | None, var_dir: str, indicators: int, months: int) -> dict:
    setup_django(database_url, var_dir)
    from django.db import connection

    from goldthread.indicators.models import Indicator, Judgement
    from goldthread.indicators.services import judging

    print(f"{connection.vendor}: {indicators} indicators by {months} months")
    periods = _build_council(indicators, months)
    chosen = list(Indicator.objects.all())
    keys = {}
    for pk, period, _value in judging._approved_rows([i.pk for i in chosen]):
        keys.setdefault(pk, set()).add(period)
    results = {
        "compute": _timed(
            "judge only (pure, no database writes)", lambda: len(judging._judge(chosen, keys))
        ),
        "first": _timed("first rejudge (create and store all)", lambda: judging.rejudge()),
    }
    _add_latest_month(periods)
    results["next"] = _timed("rejudge after one new month", lambda: judging.rejudge())
    results["stored"] = Judgement.objects.count()
    print(f"  judgements stored: {results['stored']}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true", help="SQLite only")
    parser.add_argument("--indicators", type=int, default=INDICATORS)
    parser.add_argument("--months", type=int, default=MONTHS)
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory() as var_dir:
            run(args.url, var_dir, args.indicators, args.months)
        return
    base = [
        sys.executable,
        __file__,
        "--indicators",
        str(args.indicators),
        "--months",
        str(args.months),
    ]
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

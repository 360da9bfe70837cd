"""How fast the import reader and validator get through a large CSV file, and in how much memory.

    .venv/bin/python bench/import_parse_bench.py [--rows 1000000]

Writes a generated file of valid rows (200 indicators, monthly, quarterly and annual, over
about 100 areas and several years) to a temporary directory, then times read_rows + validate
over it, streaming (no rows kept), and reports rows per second and peak memory: Python
allocations through tracemalloc (in a second, separate pass, since tracing slows Python
down) and the process's peak resident size.
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

from goldthread.analysis.periods import Frequency, Period
from goldthread.imports import HEADER_LINE, Context, IndicatorRule, Problem, read_rows, validate

FREQUENCIES = ("monthly", "quarterly", "annual")


def make_context(indicators: int = 200, areas: int = 100) -> Context:
    rules = {}
    for number in range(indicators):
        frequency = FREQUENCIES[number % 3]
        is_rate = number % 4 == 0
        unit = "percent" if is_rate else "number"
        rules[f"IND{number:04d}"] = IndicatorRule(frequency, is_rate, unit, "2015/16", 1)
    return Context(rules, {f"E0{number:07d}" for number in range(areas)}, date(2026, 3, 31))


def write_file(path: Path, rows: int, indicators: int = 200, areas: int = 100) -> None:
    """Unique (indicator, period, area) rows: each indicator walks its periods and areas."""
    periods = {
        frequency: [
            Period(Frequency(frequency), year, n).key
            for year in range(2015, 2025)
            for n in range(1, Frequency(frequency).periods_per_year + 1)
        ]
        for frequency in FREQUENCIES
    }
    area_codes = [""] + [f"E0{number:07d}" for number in range(areas)]
    with path.open("w", newline="", encoding="utf-8") as file:
        file.write(HEADER_LINE + "\r\n")
        writer = csv.writer(file)
        written = 0
        combination = 0
        while written < rows:
            number = combination % indicators
            step = combination // indicators
            frequency = FREQUENCIES[number % 3]
            keys = periods[frequency]
            period = keys[step % len(keys)]
            area = area_codes[(step // len(keys)) % len(area_codes)]
            combination += 1
            if step // len(keys) >= len(area_codes):
                continue
            if number % 4 == 0:
                numerator = step % 97
                writer.writerow([f"IND{number:04d}", period, area, "", numerator, 100, ""])
            else:
                comment = "Fewer referrals than expected" if step % 10 == 0 else ""
                value = f"{(step * 37) % 1000}.{step % 10}"
                writer.writerow([f"IND{number:04d}", period, area, value, "", "", comment])
            written += 1


def run(path: Path, context: Context) -> tuple[int, int]:
    clean = problems = 0
    for item in validate(read_rows(path), context):
        if isinstance(item, Problem):
            problems += 1
        else:
            clean += 1
    return clean, problems


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    context = make_context()
    context = Context(context.indicators, context.areas, context.today, max_rows=args.rows)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "values.csv"
        started = time.perf_counter()
        write_file(path, args.rows)
        print(
            f"wrote {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) in "
            f"{time.perf_counter() - started:.1f} s"
        )

        started, cpu = time.perf_counter(), _cpu_seconds()
        clean, problems = run(path, context)
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        print(
            f"read + validate: {clean:,} clean rows, {problems:,} problems in {seconds:.2f} s "
            f"= {args.rows / seconds:,.0f} rows/s; {cpu:.2f} s of CPU = "
            f"{args.rows / cpu:,.0f} rows per CPU second (what a shared machine cannot inflate)"
        )
        print(
            f"peak resident size of the process: "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )

        tracemalloc.start()
        run(path, context)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak Python allocations during read + validate (tracemalloc): {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()

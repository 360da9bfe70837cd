"""Benchmark the XmR engine against the Python SPC peers.

Measures ``xmr_batch`` on 10,000 series x 60 points (time per series), its peak memory on
100,000 series (tracemalloc, results included), and, when importable, the per-series APIs
of ``abspc`` and ``nhspy-plotthedots`` on a subset, reporting the speed ratio.

The peers go in the benchmark's own virtual environment, never the product's:

    python -m venv bench/.venv-spc
    bench/.venv-spc/bin/pip install -r bench/requirements-spc-peers.txt -e .
    bench/.venv-spc/bin/python bench/spc_bench.py

Without the peers it still runs: ``.venv/bin/python bench/spc_bench.py``.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # works without `pip install -e .`

from goldthread.analysis.spc import xmr, xmr_batch


def make_series(count: int, length: int, seed: int = 2026) -> list[list[float]]:
    """Noisy monthly-looking measures; about a third have a step change, 1% are missing."""
    rng = np.random.default_rng(seed)
    data = rng.normal(100, 10, size=(count, length)).round(1)
    steps = rng.random(count) < 0.33
    data[steps, length // 2 :] += 25
    data[rng.random((count, length)) < 0.01] = np.nan
    return [[None if np.isnan(v) else float(v) for v in row] for row in data]


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory_mb(series: list[list[float]]) -> float:
    gc.collect()
    tracemalloc.start()
    results = xmr_batch(series, improvement="increase", target=100.0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del results
    return peak / 1e6


def abspc_one(values: list[float]) -> None:
    import abspc
    import pandas as pd

    frame = pd.DataFrame({"value": values})
    result = abspc.calculate_control_limits(frame, chart_type="XmR")
    result = abspc.detect_special_causes(result)
    abspc.determine_variation_type(result, improvement_direction="high")
    abspc.determine_assurance_type(result, target=100.0, improvement_direction="high")


def nhspy_one(values: list[float]) -> None:  # pragma: no cover - needs GitHub access
    import pandas as pd
    from nhspy_plotthedots import ptd_spc  # type: ignore[import-not-found]

    ptd_spc(pd.DataFrame({"value": values, "date": range(len(values))}), "value", "date")


def peer_runner(name: str) -> Callable[[list[float]], None] | None:
    try:
        if name == "abspc":
            import abspc  # noqa: F401

            return abspc_one
        import nhspy_plotthedots  # type: ignore[import-not-found]  # noqa: F401

        return nhspy_one
    except ImportError as error:
        print(f"  {name}: not importable here ({error}); see the docstring to install it")
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=60)
    parser.add_argument("--peer-series", type=int, default=200)
    parser.add_argument("--memory-series", type=int, default=100_000)
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}")
    data = make_series(args.series, args.points)
    batch = best_of(3, lambda: xmr_batch(data, improvement="increase", target=100.0))
    ours = batch / args.series
    print(
        f"xmr_batch: {args.series} series x {args.points} points in {batch:.3f} s "
        f"= {ours * 1e6:.1f} us a series"
    )
    subset = data[: args.peer_series]
    single = best_of(3, lambda: [xmr(s, target=100.0) for s in subset]) / len(subset)
    print(f"xmr (one call a series, {len(subset)} series): {single * 1e6:.1f} us a series")

    for name in ("abspc", "nhspy-plotthedots"):
        run = peer_runner(name)
        if run is None:
            continue
        per = best_of(1, lambda run=run: [run(s) for s in subset]) / len(subset)
        print(
            f"  {name}: {per * 1e3:.2f} ms a series ({len(subset)} series) -> "
            f"xmr_batch is {per / ours:,.0f}x faster, xmr {per / single:,.0f}x faster"
        )

    big = make_series(args.memory_series, args.points, seed=7)
    print(
        f"peak memory, xmr_batch on {args.memory_series} series x {args.points} points "
        f"(results kept, input lists excluded): {peak_memory_mb(big):.0f} MB"
    )


if __name__ == "__main__":
    main()

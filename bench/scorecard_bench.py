"""Scorecard throughput against a minimal Django view, served the same way in the same run.

One command does everything, end to end, and cleans up after itself:

    bench/.venv-bench/bin/python bench/scorecard_bench.py

For each database (a temporary SQLite file and a throwaway PostgreSQL cluster from
scripts/pg-cluster.sh) it migrates, loads the Stirling demo, counts the queries of each page
in-process (CaptureQueriesContext), signs the performance officer in with the test client to
get a session cookie, then starts ONE server process (gunicorn, one worker, one thread, if it
is installed; otherwise wsgiref in a thread) with bench/bench_settings.py, which adds a minimal
view at /bench/minimal/ to the product's URLs. This process is the load generator: keep-alive
connections over 127.0.0.1, rounds interleaved (each round runs every page, in a rotated
order), each page bounded by a request count and a time limit. It prints a Markdown table:
median requests/s over rounds, latency percentiles over all rounds, and the ratio to the
minimal view as the median of the per-round ratios, which cancels most of the noise of a
shared machine.

The bench virtual environment (not the project's .venv; see docs/performance.md):

    $(scripts/find-python.sh) -m venv bench/.venv-bench
    bench/.venv-bench/bin/pip install -r requirements/base.txt gunicorn
    bench/.venv-bench/bin/pip install --no-deps -e .
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1 / 3
OFFICER, PASSWORD = "officer", "demo-password-1"


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    signed_in: bool = False


TARGETS = [
    Target("minimal view", "/bench/minimal/"),
    Target("scorecard, public", "/scorecard/"),
    Target("scorecard, officer", "/scorecard/", signed_in=True),
    Target("indicator ECON05, public", "/indicators/ECON05/"),
]


# --- The load generator: a tiny keep-alive HTTP/1.1 client on raw sockets -------------------
# http.client costs more per request than the minimal view itself; this reads just enough.


class Connection:
    def __init__(self, port: int):
        self.port, self.sock, self.buf = port, None, b""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buf = None, b""

    def _recv(self) -> None:
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buf += chunk

    def get(self, raw: bytes) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.sock is None:
                self.sock = socket.create_connection(("127.0.0.1", self.port))
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                return self._exchange(raw)
            except (ConnectionError, OSError):
                self.close()  # a kept-alive connection the server had dropped: retry once
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _exchange(self, raw: bytes) -> tuple[int, bytes]:
        self.sock.sendall(raw)
        while b"\r\n\r\n" not in self.buf:
            self._recv()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            key, _, value = line.partition(b":")
            headers[key.strip().lower()] = value.strip().lower()
        if b"content-length" not in headers:
            raise RuntimeError(f"response without Content-Length: {head!r}")
        length = int(headers[b"content-length"])
        while len(self.buf) < length:
            self._recv()
        body, self.buf = self.buf[:length], self.buf[length:]
        if headers.get(b"connection") == b"close" or lines[0].startswith(b"HTTP/1.0"):
            self.close()
        return status, body


def request_bytes(path: str, cookie: str | None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
    if cookie:
        lines.append(f"Cookie: sessionid={cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@dataclass
class Sample:
    requests: int
    seconds: float
    latencies: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def load(port: int, raw: bytes, *, connections: int, max_requests: int, max_seconds: float):
    """Send up to max_requests over `connections` keep-alive connections, for at most
    max_seconds; every response must be 200."""
    lock, latencies, errors = threading.Lock(), [], []
    issued = [0]
    deadline = time.perf_counter() + max_seconds

    def worker() -> None:
        conn, mine = Connection(port), []
        try:
            while True:
                with lock:
                    if issued[0] >= max_requests or time.perf_counter() >= deadline:
                        break
                    issued[0] += 1
                start = time.perf_counter()
                status, _ = conn.get(raw)
                mine.append(time.perf_counter() - start)
                if status != 200:
                    raise RuntimeError(f"HTTP {status}")
        except Exception as error:  # reported below, the run fails
            errors.append(error)
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"load generator failed: {errors[0]!r}")
    return Sample(len(latencies), elapsed, latencies)


# --- Setting up a database and a server ----------------------------------------------------


def run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def base_env(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        GOLDTHREAD_MODE="demo",
        GOLDTHREAD_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="bench.bench_settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
        LOG_LEVEL="ERROR",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def postgres_cluster(workdir: Path):
    cluster = workdir / "pg"
    port = free_port()
    script = str(ROOT / "scripts" / "pg-cluster.sh")
    os.chmod(workdir, 0o755)  # as root, the cluster belongs to the postgres user
    url = subprocess.run(
        [script, "start", str(cluster), str(port)], check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        import psycopg

        with psycopg.connect(
            host=str(cluster), port=port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            # scripts/pg-cluster.sh has already created the goldthread database.
            version = conn.execute("SHOW server_version").fetchone()[0]
        yield url, f"PostgreSQL {version.split()[0]}"
    finally:
        subprocess.run([script, "stop", str(cluster)], check=False)


@contextlib.contextmanager
def server(env: dict[str, str], port: int):
    if importlib.util.find_spec("gunicorn"):
        kind = "gunicorn (1 worker, gthread, 1 thread)"
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            "1",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
            "goldthread.wsgi:application",
        ]
    else:
        kind = "wsgiref (one thread, no keep-alive)"
        cmd = [sys.executable, str(Path(__file__).resolve()), "_serve", str(port)]
    process = subprocess.Popen(cmd, env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield kind
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve_wsgiref(port: int) -> None:
    """Fallback server when gunicorn is not installed: Django's WSGI app under wsgiref."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    make_server("127.0.0.1", port, get_wsgi_application(), handler_class=Quiet).serve_forever()


def prepare_in_process() -> None:
    """Runs in a child with the bench settings: query counts and an officer session cookie."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    public, officer = Client(), Client()
    if not officer.login(username=OFFICER, password=PASSWORD):
        raise SystemExit("the demo officer could not sign in")
    queries = {}
    for target in TARGETS:
        client = officer if target.signed_in else public
        client.get(target.path)  # warm caches (content types, templates)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(target.path)
        assert response.status_code == 200, (target, response.status_code)
        queries[target.name] = len(captured)
    print(json.dumps({"queries": queries, "cookie": officer.cookies["sessionid"].value}))


# --- The run ---------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_backend(label: str, env: dict[str, str], args) -> dict:
    py = sys.executable
    started = time.perf_counter()
    run([py, "-m", "goldthread", "migrate", "-v0"], env)
    run([py, "-m", "goldthread", "load-demo"], env)
    print(f"[{label}] demo loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    prepared = json.loads(run([py, str(Path(__file__).resolve()), "_prepare"], env))
    raws = {
        t.name: request_bytes(t.path, prepared["cookie"] if t.signed_in else None) for t in TARGETS
    }
    port = free_port()
    with server(env, port) as kind:
        # Check each page once: 200, and signed in only where it should be.
        for target in TARGETS:
            status, body = Connection(port).get(raws[target.name])
            signed_in = b"Sign out" in body
            if status != 200 or (
                target.path != "/bench/minimal/" and signed_in != target.signed_in
            ):
                raise RuntimeError(f"{target.name}: HTTP {status}, signed in {signed_in}")
        for target in TARGETS:  # warm-up, not measured
            load(
                port,
                raws[target.name],
                connections=args.connections,
                max_requests=args.warmup,
                max_seconds=5,
            )
        samples: dict[str, list[Sample]] = {t.name: [] for t in TARGETS}
        for round_no in range(args.rounds):
            shift = round_no % len(TARGETS)
            for target in TARGETS[shift:] + TARGETS[:shift]:  # A B C D, B C D A, ...
                samples[target.name].append(
                    load(
                        port,
                        raws[target.name],
                        connections=args.connections,
                        max_requests=args.requests,
                        max_seconds=args.seconds,
                    )
                )
            print(
                f"[{label}] round {round_no + 1}/{args.rounds}: "
                + ", ".join(f"{name} {s[-1].rps:.0f}/s" for name, s in samples.items()),
                file=sys.stderr,
            )
    minimal = samples[TARGETS[0].name]
    rows = []
    for target in TARGETS:
        mine = samples[target.name]
        latencies = [x for s in mine for x in s.latencies]
        ratios = [s.rps / m.rps for s, m in zip(mine, minimal, strict=True)]
        rows.append(
            {
                "backend": label,
                "view": target.name,
                "queries": prepared["queries"][target.name],
                "requests": len(latencies),
                "rps": statistics.median(s.rps for s in mine),
                "p50": percentile(latencies, 0.50) * 1000,
                "p90": percentile(latencies, 0.90) * 1000,
                "p99": percentile(latencies, 0.99) * 1000,
                "ratio": statistics.median(ratios),
                "ratio_min": min(ratios),
                "ratio_max": max(ratios),
            }
        )
    return {"server": kind, "rows": rows}


def machine() -> list[str]:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next(
        (line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")),
        platform.processor(),
    )
    import sqlite3

    import django

    return [
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite3.sqlite_version}",
        "load average at start: " + " ".join(f"{x:.2f}" for x in os.getloadavg()),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument(
        "--seconds",
        type=float,
        default=1.5,
        help="time limit for one page in one round (default 1.5)",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=3000,
        help="request limit for one page in one round (default 3000)",
    )
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured requests a page")
    parser.add_argument("--connections", type=int, default=2, help="keep-alive connections")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    info = machine()
    results = []
    with tempfile.TemporaryDirectory(prefix="goldthread-bench-") as tmp:
        workdir = Path(tmp)
        backends = args.backends.split(",")
        if "sqlite" in backends:
            import sqlite3

            var = workdir / "sqlite"
            label = f"SQLite {sqlite3.sqlite_version}"
            results.append(bench_backend(label, base_env(var, None), args))
        if "postgresql" in backends:
            with postgres_cluster(workdir) as (url, label):
                results.append(bench_backend(label, base_env(workdir / "pg-var", url), args))
    info.append("load average at end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print_report(results, info, args)


def print_report(results: list[dict], info: list[str], args) -> None:
    print(f"Run {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; " + "; ".join(info))
    print(
        f"Server: {results[0]['server']}; client: {args.connections} keep-alive connections "
        f"from a second process over 127.0.0.1; {args.rounds} interleaved rounds of at most "
        f"{args.requests} requests or {args.seconds} s a page.\n"
    )
    print(
        "| Database | Page | Queries | Requests | req/s (median) | p50 ms | p90 ms | p99 ms "
        "| Ratio to minimal (median, min-max) |"
    )
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|")
    for result in results:
        for r in result["rows"]:
            print(
                f"| {r['backend']} | {r['view']} | {r['queries']} | {r['requests']} "
                f"| {r['rps']:.0f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} "
                f"| {r['ratio']:.3f} ({r['ratio_min']:.3f}-{r['ratio_max']:.3f}) |"
            )
    print()
    for result in results:
        for r in result["rows"]:
            if r["view"].startswith("scorecard"):
                verdict = "meets" if r["ratio"] >= GOAL else "MISSES"
                print(
                    f"- {r['backend']}, {r['view']}: {r['ratio']:.3f} of the minimal view's "
                    f"throughput, {verdict} the goal of 1/3 ({GOAL:.3f})."
                )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_prepare":
        prepare_in_process()
    elif len(sys.argv) > 1 and sys.argv[1] == "_serve":
        serve_wsgiref(int(sys.argv[2]))
    else:
        main()

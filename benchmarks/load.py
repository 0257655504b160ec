"""Load test of the dock on loopback: ``python -m benchmarks.load [--quick] [--check]``.

A market of approved table learnwares (:mod:`benchmarks.load_market`: 10,000 by
default, written in bulk with real packages and per-learnware RKMEs, cached as a
PostgreSQL template database) is served as in production: gunicorn (``bmw.wsgi``,
gthread workers) on PostgreSQL + Redis, a Celery worker for the ``default`` and
``ml`` queues (e-mails, checks) and a search worker (queue ``search``, threads, the
market's index in memory), DEBUG off, default throttles. ``locust`` (headless, in
its own process) then runs simulated signed-in users, each with its own API token,
through a mix of what the web app and the client do:

========================  ======  ==============================================
operation                 weight  request
========================  ======  ==============================================
browse                    30      ``GET /api/learnwares/?page=..`` (tag filters)
detail (+ versions)       30      ``GET /api/learnwares/<id>/`` and its versions
semantic search           12      ``POST /api/learnwares/search/`` with ``query``
stat search               6       the same with a user's RKME ``stat.json``
                                  (multipart, as ``Client.search`` sends it)
download                  10      ``GET /api/learnwares/<id>/download/`` (zip)
========================  ======  ==============================================

with 1-5 s of think time between a user's requests: ~20 requests and ~4 searches a
minute per user, under the search throttle (60/minute per user), which stays on.
Before the measured phase a warm-up (excluded from the figures) waits for the
search worker's index (built at start from the 10,000 stored specs) and MiniLM,
and sends a few requests of each kind; locust's ramp-up is excluded too
(``--reset-stats``). Afterwards ``benchmarks.fuzz.run_fuzz`` fuzzes the same,
still running dock with a small budget (``--no-fuzz`` skips it).

Prints the environment, a table per operation (requests, rps, p50/p95/p99 in ms,
errors) and, as its last line, JSON: ``rps``, ``p95_ms`` (per operation),
``errors``, ``fuzz_cases``, ``fuzz_5xx`` and more. ``--check`` exits 1 when an
error occurred or a p95 target is missed: browse and detail < 300 ms, stat
search < 1 s. Defaults: 10,000 learnwares, 50 users, 300 s; ``--quick``: 500,
10, 30 s.

Needs PostgreSQL on 127.0.0.1:5432 (user ``postgres``, trust) and Redis on
127.0.0.1:6379 (``BMW_LOAD_DATABASE_URL`` / ``BMW_LOAD_REDIS_URL`` to change):
databases ``bmw_load_v<version>_<n>`` (the cached market) and ``bmw_load`` (each
run's copy), Redis DB 9 (flushed), media under ``$BMW_LOAD_CACHE``
(``/tmp/bmw-load-cache``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchmarks._shared import REPO

BIN = Path(sys.executable).parent
MARKET = (sys.executable, "-m", "benchmarks.load_market")
# Bump when the market of benchmarks.load_market changes: cached copies are rebuilt.
SEED_VERSION = 1

# The mix: operation -> weight of its locust task (the detail task also fetches the
# versions, as the web app's detail page does: rows "detail" and "detail versions").
MIX: dict[str, int] = {
    "browse": 30,
    "detail": 30,
    "semantic search": 12,
    "stat search": 6,
    "download": 10,
}
OPERATIONS = (
    "browse",
    "detail",
    "detail versions",
    "semantic search",
    "stat search",
    "download",
)
WAIT_S = (1.0, 5.0)  # think time between one user's requests
# p95 targets (ms): the goal for a 10,000-learnware market on 2 cores.
TARGETS_MS: dict[str, float] = {
    "browse": 300,
    "detail": 300,
    "detail versions": 300,
    "stat search": 1000,
}
QUERIES = (
    "store demand",
    "weekly sales forecaster",
    "promo uplift",
    "customer churn supermarkets",
    "basket size",
    "credit default risk",
    "loan approval classifier",
    "fraud score",
    "credit limit",
    "arrears microlenders",
    "readmission risk",
    "readmision risk",  # typo
    "length of stay hospitals",
    "diabetes onset screener",
    "sepsis alert",
    "blood pressure",
    "hourly load forecast",
    "solar output",
    "wind power regressor",
    "boiler efficency",  # typo
    "electricity demand",
    "flight delay",
    "flight delay Shanghai",
    "taxi demand",
    "road congestion Beijing",
    "bike rentals",
    "bus arrival delay",
    "predict sales from footfall",
    "hospital patients",
    "energy consumption of buildings",
    "traffic jams",
    "which loans will default",
    "Hangzhou",
    "Texas 2021",
    "random forest",
    "gradient boosting",
)


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class OpStats:
    """One row of locust's ``*_stats.csv``: an operation (or the total)."""

    name: str
    requests: int
    failures: int
    rps: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    avg_ms: float
    max_ms: float


def _number(raw: str) -> float | None:
    return None if raw in ("", "N/A") else float(raw)


def parse_stats_csv(text: str) -> tuple[list[OpStats], OpStats]:
    """Locust's ``PREFIX_stats.csv``: the operations (by name) and the total."""
    rows: list[OpStats] = []
    total: OpStats | None = None
    for row in csv.DictReader(io.StringIO(text)):
        stats = OpStats(
            name=row["Name"],
            requests=int(row["Request Count"]),
            failures=int(row["Failure Count"]),
            rps=float(row["Requests/s"]),
            p50_ms=_number(row["50%"]),
            p95_ms=_number(row["95%"]),
            p99_ms=_number(row["99%"]),
            avg_ms=float(row["Average Response Time"]),
            max_ms=float(row["Max Response Time"]),
        )
        if row["Name"] == "Aggregated":
            total = stats
        else:
            rows.append(stats)
    if total is None:
        raise ValueError("no Aggregated row: not a locust stats CSV")
    return rows, total


def parse_failures_csv(text: str) -> list[dict[str, Any]]:
    """Locust's ``PREFIX_failures.csv``: ``[{name, error, count}]``."""
    return [
        {"name": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])}
        for row in csv.DictReader(io.StringIO(text))
    ]


def summarize(
    ops: Sequence[OpStats],
    total: OpStats,
    *,
    fuzz: Mapping[str, Any] | None = None,
    environment: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The figures printed as the last line (JSON-ready)."""

    def by_name(field: str) -> dict[str, float | None]:
        return {op.name: getattr(op, field) for op in ops}

    out: dict[str, Any] = {
        "rps": round(total.rps, 2),
        "p95_ms": by_name("p95_ms"),
        "errors": total.failures,
        "fuzz_cases": (fuzz or {}).get("cases"),
        "fuzz_5xx": (fuzz or {}).get("five_xx"),
        "requests": total.requests,
        "p50_ms": by_name("p50_ms"),
        "p99_ms": by_name("p99_ms"),
        "errors_by_operation": {op.name: op.failures for op in ops if op.failures},
    }
    if environment:
        out["environment"] = dict(environment)
    return out


def check(summary: Mapping[str, Any]) -> list[str]:
    """What misses the goal: errors, a p95 over its target, an operation not run."""
    problems = []
    if summary["errors"]:
        problems.append(f"{summary['errors']} errors (goal: 0)")
    for name, target in TARGETS_MS.items():
        p95 = summary["p95_ms"].get(name)
        if p95 is None:
            problems.append(f"{name}: no request was made")
        elif p95 >= target:
            problems.append(f"{name}: p95 {p95:.0f} ms >= {target:.0f} ms")
    if summary.get("fuzz_5xx"):
        problems.append(f"fuzzing: {summary['fuzz_5xx']} 5xx answers")
    return problems


def format_table(ops: Sequence[OpStats], total: OpStats) -> str:
    """The per-operation table, in :data:`OPERATIONS` order, then the total."""
    order = {name: i for i, name in enumerate(OPERATIONS)}
    rows = sorted(ops, key=lambda op: (order.get(op.name, len(order)), op.name))
    header = ["operation", "requests", "rps", "p50 ms", "p95 ms", "p99 ms", "errors"]

    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}"

    body = [
        [
            op.name if op is not total else "all",
            str(op.requests),
            f"{op.rps:.2f}",
            ms(op.p50_ms),
            ms(op.p95_ms),
            ms(op.p99_ms),
            str(op.failures),
        ]
        for op in [*rows, total]
    ]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *map(line, body[:-1]), rule, line(body[-1])])


def multipart(
    fields: Sequence[tuple[str, str]],
    files: Sequence[tuple[str, str, bytes, str]] = (),
    *,
    boundary: str | None = None,
) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body and its Content-Type, as ``requests`` (and so
    ``Client.search``) would send it: ``fields`` (name, value), ``files`` (name,
    filename, content, content type)."""
    boundary = boundary or secrets.token_hex(16)
    out = io.BytesIO()
    for name, value in fields:
        out.write(f"--{boundary}\r\n".encode())
        out.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, filename, content, content_type in files:
        out.write(f"--{boundary}\r\n".encode())
        out.write(
            f'Content-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


# ------------------------------------------------------------------ the stack


@dataclass(frozen=True)
class Config:
    learnwares: int
    users: int
    duration_s: int
    spawn_rate: float
    web_workers: int
    web_threads: int
    search_threads: int
    fuzz: bool
    fuzz_budget_s: float
    fuzz_examples: int
    database_url: str
    redis_url: str
    cache: Path


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _pg(url: str) -> Any:
    """An autocommit connection to the server's ``postgres`` database."""
    import psycopg2  # type: ignore[import-untyped]

    conn = psycopg2.connect(_with_db(url, "postgres"))
    conn.autocommit = True
    return conn


def _database_exists(url: str, name: str) -> bool:
    with _pg(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return cur.fetchone() is not None


def _database_recreate(url: str, name: str, template: str | None = None) -> None:
    conn = _pg(url)
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            suffix = f' TEMPLATE "{template}"' if template else ""
            cur.execute(f'CREATE DATABASE "{name}"{suffix}')
    finally:
        conn.close()


def _env(cfg: Config, database: str, media: Path, state: Path) -> dict[str, str]:
    """Production settings (``bmw.settings.base``, DEBUG off) on the load stack."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BMW_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))
        or k.startswith("BMW_THROTTLE_")  # raised limits are passed on (and shown)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bmw.settings.base",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=_with_db(cfg.database_url, database),
        REDIS_URL=cfg.redis_url,
        BMW_STATE_DIR=str(state),
        BMW_MEDIA_ROOT=str(media),
        BMW_WORLD_RETRAIN_EVERY="0",  # no approvals happen; no training at start
        PYTHONPATH=str(REPO),
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    return env


def _run(argv: Sequence[str], env: Mapping[str, str], log: Path) -> str:
    """Run a setup step; its stdout (stderr goes to ``log``); raise if it fails."""
    with log.open("ab") as err:
        done = subprocess.run(
            argv, cwd=REPO, env=dict(env), stdout=subprocess.PIPE, stderr=err
        )
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv[:4])} failed; see {log}")
    return done.stdout.decode()


def market_database(cfg: Config, state: Path) -> tuple[str, Path, dict[str, Any]]:
    """The cached market's template database and media folder, seeded if missing."""
    template = f"bmw_load_v{SEED_VERSION}_{cfg.learnwares}"
    cache = cfg.cache / f"v{SEED_VERSION}-{cfg.learnwares}"
    media, marker = cache / "media", cache / "seeded.json"
    if marker.is_file() and _database_exists(cfg.database_url, template):
        info = json.loads(marker.read_text())
        return template, media, {**info, "cached": True}
    print(f"seeding a market of {cfg.learnwares} learnwares into {template} ...")
    marker.unlink(missing_ok=True)
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)
    _database_recreate(cfg.database_url, template)
    env = _env(cfg, template, media, state)
    log = state / "seed.log"
    _run([sys.executable, "manage.py", "migrate", "-v", "0"], env, log)
    out = _run(
        [*MARKET, "seed", "--learnwares", str(cfg.learnwares)],
        env,
        log,
    )
    info = json.loads(out.strip().splitlines()[-1])
    marker.write_text(json.dumps(info))
    return template, media, {**info, "cached": False}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def dock(
    cfg: Config, env: Mapping[str, str], state: Path
) -> Iterator[tuple[str, list[int]]]:
    """gunicorn + a check worker + a search worker, as in the Procfile; the URL
    and the processes' ids."""
    port = _free_port()
    celery = [str(BIN / "celery"), "-A", "bmw", "worker", "--loglevel", "INFO"]
    celery += ["--without-gossip", "--without-mingle"]
    processes = {
        "web": [
            str(BIN / "gunicorn"),
            "bmw.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(cfg.web_workers),
            "--threads",
            str(cfg.web_threads),
            "--preload",
            "--graceful-timeout",
            "10",
            # Longer than the users' think time, as a reverse proxy's upstream
            # keep-alive would be: with gunicorn's 2 s, a user's next request
            # raced the server closing its idle connection (POSTs failed).
            "--keep-alive",
            "75",
            "--access-logfile",
            str(state / "access.log"),
        ],
        "worker": [
            *celery,
            "--queues",
            "interactive,batch",
            "--concurrency",
            "1",
            "--hostname",
            "worker@%h",
        ],
        "search": [
            *celery,
            "--queues",
            "search",
            "--pool",
            "threads",
            "--concurrency",
            str(cfg.search_threads),
            "--hostname",
            "search@%h",
        ],
    }
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for name, argv in processes.items():
            log = (state / f"{name}.log").open("ab")
            procs.append(
                subprocess.Popen(argv, cwd=REPO, env=dict(env), stdout=log, stderr=log)
            )
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, procs, state)
        yield url, [p.pid for p in procs]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_healthy(
    url: str, procs: Sequence[subprocess.Popen[bytes]], state: Path
) -> None:
    import requests

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            raise RuntimeError(f"a dock process exited; see the logs in {state}")
        try:
            if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the dock did not become healthy; see the logs in {state}")


def warm_up(url: str, token: str, plan: Mapping[str, Any]) -> dict[str, Any]:
    """Wait for the search worker's index and encoder, then prime each operation
    (excluded from the figures). Returns what it took."""
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    first_ok: float | None = None
    deadline = time.monotonic() + 600
    specs = {s["space"]: s["path"] for s in plan["specs"]}  # one per space
    pending = [("query", q) for q in QUERIES[:3]] + [
        ("spec", p) for p in specs.values()
    ]
    sent = 0
    while pending:
        kind, value = pending[0]
        body, content_type = (
            multipart([("query", value)])
            if kind == "query"
            else multipart(
                [("data_type", "Table")],
                [
                    (
                        "stat_spec",
                        "stat.json",
                        Path(value).read_bytes(),
                        "application/json",
                    )
                ],
            )
        )
        try:
            answer = session.post(
                f"{url}/api/learnwares/search/",
                data=body,
                headers={"Content-Type": content_type},
                timeout=60,
            )
            status = answer.status_code
        except requests.RequestException:
            status = 0
        sent += 1
        if status == 200:
            first_ok = first_ok or time.perf_counter() - started
            pending.pop(0)
        elif status in (0, 503, 504):  # index still building
            if time.monotonic() > deadline:
                raise RuntimeError("search did not answer within 10 minutes")
            time.sleep(2)
        else:
            raise RuntimeError(f"warm-up search answered {status}: {answer.text[:300]}")
    for lw in plan["ids"][:10]:
        for path in (f"{lw}/", f"{lw}/versions/", f"{lw}/download/"):
            session.get(f"{url}/api/learnwares/{path}", timeout=60).raise_for_status()
    for page in range(1, 11):
        session.get(f"{url}/api/learnwares/?page={page}", timeout=60).raise_for_status()
    return {
        "warmup_s": round(time.perf_counter() - started, 1),
        "first_search_s": round(first_ok or 0.0, 1),
        "warmup_requests": sent + 40,
    }


def _cpu_seconds(roots: Sequence[int], database: str = "") -> dict[int, float]:
    """CPU seconds (user + system) so far of ``roots`` and their children, and of
    the PostgreSQL backends serving ``database``, by process id."""
    import psutil  # type: ignore[import-untyped]  # installed with locust

    found: dict[int, float] = {}
    procs: list[Any] = []
    for pid in roots:
        try:
            root = psutil.Process(pid)
            procs += [root, *root.children(recursive=True)]
        except psutil.Error:
            continue
    for proc in psutil.process_iter(["cmdline"]) if database else ():
        if any(database in part for part in proc.info["cmdline"] or ()):
            procs.append(proc)
    for proc in procs:
        try:
            times = proc.cpu_times()
            found[proc.pid] = times.user + times.system
        except psutil.Error:
            continue
    return found


def _cores(
    before: Mapping[int, float], after: Mapping[int, float], wall: float
) -> float:
    used = sum(t - before.get(pid, 0.0) for pid, t in after.items())
    return round(used / wall, 2)


def run_locust(
    cfg: Config, url: str, plan_file: Path, state: Path, dock_pids: Sequence[int]
) -> tuple[list[OpStats], OpStats, list[dict[str, Any]], dict[str, Any]]:
    """Locust headless in its own process (it monkey-patches with gevent). Also
    measures the machine's load and the CPU the dock and locust used."""
    prefix = state / "locust"
    argv = [
        str(BIN / "locust"),
        "-f",
        str(REPO / "benchmarks" / "load_locustfile.py"),
        "--headless",
        "--users",
        str(cfg.users),
        "--spawn-rate",
        str(cfg.spawn_rate),
        "--run-time",
        f"{cfg.duration_s}s",
        "--host",
        url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--reset-stats",  # the ramp-up is not measured
        "--stop-timeout",
        "30",
        "--loglevel",
        "WARNING",
    ]
    env = {
        **os.environ,
        "BMW_LOAD_PLAN": str(plan_file),
        "PYTHONPATH": str(REPO),
    }
    loads: list[float] = []
    dock_before = _cpu_seconds(dock_pids, "bmw_load ")
    started = time.monotonic()
    with (state / "locust.log").open("ab") as log:
        proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=log, stderr=log)
        locust_before = _cpu_seconds([proc.pid])
        locust_after = locust_before
        while proc.poll() is None:
            loads.append(os.getloadavg()[0])
            locust_after = _cpu_seconds([proc.pid]) or locust_after
            time.sleep(5)
    wall = time.monotonic() - started
    usage = {
        "load_avg_during": round(sum(loads) / len(loads), 2) if loads else None,
        "dock_cpu_cores": _cores(
            dock_before, _cpu_seconds(dock_pids, "bmw_load "), wall
        ),
        "locust_cpu_cores": _cores(locust_before, locust_after, wall),
    }
    stats_csv = Path(f"{prefix}_stats.csv")
    if not stats_csv.is_file():
        raise RuntimeError(f"locust wrote no statistics; see {state}/locust.log")
    ops, total = parse_stats_csv(stats_csv.read_text())
    failures_csv = Path(f"{prefix}_failures.csv")
    failures = (
        parse_failures_csv(failures_csv.read_text()) if failures_csv.is_file() else []
    )
    return ops, total, failures, usage


def run_fuzzing(cfg: Config, url: str, token: str) -> dict[str, Any]:
    """``benchmarks.fuzz.run_fuzz`` on the loaded dock, with a small budget."""
    try:
        from benchmarks.fuzz import run_fuzz
    except ImportError as exc:
        return {"cases": None, "five_xx": None, "note": f"fuzzing unavailable: {exc}"}
    report = run_fuzz(
        url,
        token=token,
        max_examples=cfg.fuzz_examples,
        seed=0,
        time_budget_s=cfg.fuzz_budget_s,
    )
    return {
        "cases": report.cases,
        "five_xx": report.five_xx,
        "schema_violations": report.schema_violations,
        "failures": list(report.failures)[:10],
    }


def _throttles() -> str:
    raised = {k: v for k, v in os.environ.items() if k.startswith("BMW_THROTTLE_")}
    if raised:
        return f"CHANGED by the environment: {raised}"
    return "defaults (search 60/minute per user; each user signs in with its token)"


def run(cfg: Config) -> dict[str, Any]:
    """Seed (or reuse) the market, serve it, load it, fuzz it; print; the summary."""
    import redis

    state = Path(tempfile.mkdtemp(prefix="bmw-load-"))
    started = time.perf_counter()
    template, media, market = market_database(cfg, state)
    seeded_s = time.perf_counter() - started
    _database_recreate(cfg.database_url, "bmw_load", template=template)
    env = _env(cfg, "bmw_load", media, state)
    log = state / "setup.log"
    _run([sys.executable, "manage.py", "migrate", "-v", "0"], env, log)
    specs = str(cfg.cache / "user-specs")
    people = json.loads(
        _run(
            [*MARKET, "users", "--count", str(cfg.users), "--specs", specs],
            env,
            log,
        ).splitlines()[-1]
    )
    redis.Redis.from_url(cfg.redis_url).flushdb()  # throttle counters, results
    plan = {
        "tokens": people["tokens"],
        "ids": people["ids"],
        "pages": max(1, math.ceil(len(people["ids"]) / 20)),
        "queries": list(QUERIES),
        "specs": people["specs"],
        "wait_s": list(WAIT_S),
    }
    plan_file = state / "plan.json"
    plan_file.write_text(json.dumps(plan))
    load_before = os.getloadavg()
    with dock(cfg, env, state) as (url, dock_pids):
        print(f"dock up at {url} (logs: {state}); warming up ...", flush=True)
        warm = warm_up(url, people["warmup"], plan)
        print(
            f"warm-up: {warm['warmup_s']} s, first search answered after "
            f"{warm['first_search_s']} s (index build + MiniLM); excluded",
            flush=True,
        )
        print(f"load: {cfg.users} users for {cfg.duration_s} s ...", flush=True)
        ops, total, failures, usage = run_locust(cfg, url, plan_file, state, dock_pids)
        fuzz = None
        if cfg.fuzz:
            print(
                f"fuzzing the loaded dock ({cfg.fuzz_budget_s:.0f} s) ...", flush=True
            )
            fuzz = run_fuzzing(cfg, url, people["warmup"])
    environment = {
        "cores": os.cpu_count(),
        "learnwares": market.get("learnwares"),
        "market_cached": market.get("cached"),
        "seed_s": round(seeded_s, 1),
        "users": cfg.users,
        "duration_s": cfg.duration_s,
        "spawn_rate": cfg.spawn_rate,
        "think_time_s": list(WAIT_S),
        "web": f"gunicorn gthread {cfg.web_workers} workers x {cfg.web_threads} "
        "threads",
        "search_worker": f"celery threads x {cfg.search_threads}",
        "check_worker": "celery prefork x 1 (queues interactive, batch)",
        "throttles": _throttles(),
        "load_avg_before": round(load_before[0], 2),
        **usage,
        **warm,
    }
    summary = summarize(ops, total, fuzz=fuzz, environment=environment)
    print()
    print("environment:")
    for key, value in environment.items():
        print(f"  {key}: {value}")
    print()
    print(
        f"{cfg.users} users, {cfg.duration_s} s, {market.get('learnwares')} "
        "learnwares (ms; warm-up and ramp-up excluded):"
    )
    print(format_table(ops, total))
    for failure in failures:
        print(f"  error: {failure['name']}: {failure['error']} x{failure['count']}")
    if fuzz is not None:
        print(
            f"fuzzing after the load: {fuzz.get('cases')} cases, "
            f"{fuzz.get('five_xx')} 5xx"
            + (f" ({fuzz['note']})" if "note" in fuzz else "")
        )
    return summary


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick", action="store_true", help="500 learnwares, 10 users, 30 s"
    )
    parser.add_argument("--learnwares", type=int)
    parser.add_argument("--users", type=int)
    parser.add_argument("--duration", type=int, help="seconds of measured load")
    parser.add_argument("--spawn-rate", type=float, help="users started per second")
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--search-threads", type=int, default=4)
    parser.add_argument("--no-fuzz", action="store_true")
    parser.add_argument("--fuzz-budget", type=float, help="seconds of fuzzing")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 on errors or a missed p95 target"
    )
    args = parser.parse_args(argv)
    users = args.users or (10 if args.quick else 50)
    cfg = Config(
        learnwares=args.learnwares or (500 if args.quick else 10_000),
        users=users,
        duration_s=args.duration or (30 if args.quick else 300),
        spawn_rate=args.spawn_rate or max(1.0, users / 5),
        web_workers=args.web_workers,
        web_threads=args.web_threads,
        search_threads=args.search_threads,
        fuzz=not args.no_fuzz,
        fuzz_budget_s=args.fuzz_budget or (20.0 if args.quick else 60.0),
        fuzz_examples=5 if args.quick else 20,
        database_url=os.environ.get(
            "BMW_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        redis_url=os.environ.get("BMW_LOAD_REDIS_URL", "redis://127.0.0.1:6379/9"),
        cache=Path(os.environ.get("BMW_LOAD_CACHE", "/tmp/bmw-load-cache")),
    )
    summary = run(cfg)
    problems = check(summary) if args.check else []
    for problem in problems:
        print(f"MISSED: {problem}")
    print(json.dumps(summary))
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()

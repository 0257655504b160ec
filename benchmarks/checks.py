"""Submitting-stage benchmark: upload → sandboxed checks done, through the real dock.

Starts a throw-away dock (gunicorn + a Celery worker with 2 processes) on the embedded
default in a temporary folder, creates a user and an API token, then times over HTTP:

* a check whose environment must be built first (fresh environment cache),
* a check whose environment is cached (the target: under 30 s),
* N concurrent uploads (all must reach a final status; throughput reported).

Usage: ``python -m benchmarks.checks [--quick]``; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from benchmarks._dock import Dock
from benchmarks._shared import OFFICIAL

FINAL = {"check_failed", "awaiting_review", "approved", "rejected"}


def _variant(package: bytes, i: int) -> bytes:
    """The official package plus a note file: same model, a different hash."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("NOTES.md", f"variant {i}\n")
    return out.getvalue()


def _upload_and_wait(
    session: requests.Session, url: str, package: bytes, spec: dict[str, Any]
) -> tuple[float, str]:
    start = time.perf_counter()
    response = session.post(
        f"{url}/api/learnwares/",
        data={"semantic_spec": json.dumps(spec)},
        files={"package": ("lw.zip", package)},
        timeout=60,
    )
    response.raise_for_status()
    version_id = response.json()["version"]["id"]
    while True:
        body = session.get(f"{url}/api/versions/{version_id}/", timeout=30).json()
        if body["status"] in FINAL:
            return time.perf_counter() - start, body["status"]
        if time.perf_counter() - start > 600:
            return time.perf_counter() - start, body["status"]
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 concurrent uploads")
    args = parser.parse_args(argv)
    n_concurrent = 5 if args.quick else 20
    package = (OFFICIAL / "learnware" / "official_format.zip").read_bytes()
    spec = json.loads((OFFICIAL / "semantic" / "table_classification.json").read_text())

    with tempfile.TemporaryDirectory(prefix="bmw-bench-checks-") as tmp:
        dock = Dock(Path(tmp))
        # One user uploads them all: the per-user upload limits must not answer 429.
        dock.env.update(BMW_UPLOADS_PER_HOUR="1000", BMW_CHECKS_PENDING_MAX="1000")
        dock.start()
        try:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {dock.token()}"
            fresh_s, fresh_status = _upload_and_wait(session, dock.url, package, spec)
            cached_s, cached_status = _upload_and_wait(
                session, dock.url, _variant(package, 0), spec
            )
            start = time.perf_counter()
            with ThreadPoolExecutor(n_concurrent) as pool:
                results = list(
                    pool.map(
                        lambda i: _upload_and_wait(
                            session, dock.url, _variant(package, i), spec
                        ),
                        range(1, n_concurrent + 1),
                    )
                )
            wall = time.perf_counter() - start
        finally:
            dock.stop()

    final = sum(status in FINAL for _, status in results)
    passed = sum(status == "awaiting_review" for _, status in results)
    latencies = sorted(seconds for seconds, _ in results)
    rows = [
        (
            "check, fresh environment (upload -> final)",
            f"{fresh_s:.1f} s",
            fresh_status,
        ),
        (
            "check, cached environment (target < 30 s)",
            f"{cached_s:.1f} s",
            cached_status,
        ),
        (
            f"{n_concurrent} concurrent uploads, all final",
            f"{final}/{n_concurrent}",
            f"{passed} passed",
        ),
        (
            "  slowest / median upload -> final",
            f"{latencies[-1]:.1f} s",
            f"{latencies[len(latencies) // 2]:.1f} s",
        ),
        ("  throughput", f"{60 * n_concurrent / wall:.1f} /min", f"wall {wall:.1f} s"),
    ]
    width = max(len(r[0]) for r in rows)
    print(
        "== Submitting stage: upload -> checks finished (embedded dock, 2 workers) =="
    )
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    print(
        json.dumps(
            {
                "check_s_cached_env": round(cached_s, 2),
                "check_s_fresh_env": round(fresh_s, 2),
                "concurrent_uploads": n_concurrent,
                "concurrent_uploads_final": final,
                "concurrent_uploads_passed": passed,
                "uploads_per_min": round(60 * n_concurrent / wall, 1),
            }
        )
    )
    return 0 if final == n_concurrent and cached_status == "awaiting_review" else 1


if __name__ == "__main__":
    sys.exit(main())

"""Hostile input (issue 22): ``python -m benchmarks.hostile [--quick] [--check]``.

A catalogue of hostile packages and requests of every class of issue 22, run as an
attacker would:

* **through ``bmw check``** (:func:`learnware_core.cli.check.run_checks`, in a child
  process so a package that is not bounded cannot take the benchmark down: a case
  still running after :data:`CHECK_TIMEOUT_S` is killed and reported as not
  contained), each package's host CPU measured with ``time.process_time`` in the
  child after a warm-up run on a good package (imports are not counted);
* **through a live dock** (``benchmarks._dock``: the ``Procfile``'s processes on the
  embedded default, search worker included): every package uploaded through the REST
  API by a registered developer (its own account, so the per-user upload limits do
  not mix cases), the answer read, and, where the upload is taken, the checks waited
  for and their status and report read; the CPU of the web and worker processes
  during the case (``psutil``; their own CPU, not the sandbox's) is the dock's host
  CPU; and the requests: oversized and deeply nested search input on both APIs, many
  uploads by one user, edits of an approved learnware, a duplicate of someone's
  private package, API tokens across a password reset, registration of a known
  address, a model forging its check report;
* **in the sandbox** (``run_sandboxed`` with the dock's default limits): the escape
  probe and scratch flood of ``benchmarks._hostile_sandbox``, host files, the dock's
  variables, a local socket.

A case is *contained* when it is refused (a 4xx, a compat error code, a failed
check) or its effect is held (the approved text stays listed, the forged report
stays the dock's, ...). Then, on the same dock: normal REST searches by signed-in
users while four compat searches with a 1 MB ``Name`` arrive every second, each
from another address (so no per-address throttle helps: only the cap), and a short
schemathesis run (``benchmarks.fuzz.run_fuzz``: API v1 and the compat API).

Figures (last line, one JSON object): ``total``, ``contained`` (must equal
``total``), ``host_cpu_s_max`` (the most host CPU spent on one hostile package before
it was refused, target < 2 s), ``search_p95_ms_under_abuse`` (< 500 ms; a failed
search counts as its client timeout) with ``search_5xx`` 0, ``fuzz_5xx`` 0.
``--check`` exits 1 unless every target holds. ``--quick`` (CI-sized): 8 of the
hostile pickle globals instead of all, 15 s of abuse instead of 45, a 20 s fuzz
budget instead of 90. ``--no-dock`` runs ``bmw check`` and the sandbox only (with
``--check`` it checks what that run measures: every case contained and the host CPU;
CI runs ``--quick --no-dock --check``, the dock's cases are dock tests). The dock's
logs of the last run are kept in :data:`LOGS`.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import json
import os
import queue
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks._hostile_packages import (
    HOSTILE_PACKAGES,
    build_zip,
    good_files,
    good_package,
)
from benchmarks._hostile_sandbox import (
    ESCAPE_CALLS,
    HOSTILE_GLOBALS,
    REPORT_FORGING_MODEL,
    escape_probe,
    global_call_pickle,
    scratch_flood,
)
from benchmarks._shared import REPO
from benchmarks._timing import finish

TARGETS: dict[str, tuple[str, float]] = {
    "host_cpu_s_max": ("<", 2.0),
    "search_p95_ms_under_abuse": ("<", 500.0),
    "search_5xx": ("==", 0),
    "fuzz_5xx": ("==", 0),
}
CHECK_TIMEOUT_S = 60.0  # one package through bmw check (the budget is 2 s of CPU)
QUICK_PICKLE_GLOBALS = 8
SEARCH_TIMEOUT_S = 30.0  # a failed or unanswered search counts as this
ABUSE_PER_S = 4  # oversized compat searches a second
NORMAL_PER_S = 2.0  # normal searches a second, over NORMAL_USERS users
NORMAL_USERS = 3
ONE_MB_NAME = "x" * 1_000_000
CHECK_WAIT_S = 600.0  # an accepted upload's checks (a fresh environment is built)
UPLOADS_TRIED = 25  # many uploads by one user: a 429 must come before the 21st
LOGS = Path(tempfile.gettempdir()) / "bmw-bench-hostile-logs"  # the last dock's logs

#: Issue 22's classes (its numbered parts) as the table names them.
CLASSES: dict[str, str] = {
    "1": "1 host-side parse",
    "2": "2 abusive requests",
    "3": "3 pickle",
    "4": "4 edit after approval",
    "5": "5 sandbox",
    "6": "6 zip archive",
    "7": "7 check report",
    "8": "8 disclosure",
}
_ROW_CLASS = {"archive": "6", "pickle": "3"}  # other bmw check rows: part 1

SEMANTIC: dict[str, Any] = {
    "Data": {"Type": "Class", "Values": ["Table"]},
    "Task": {"Type": "Class", "Values": ["Regression"]},
    "Library": {"Type": "Class", "Values": ["Scikit-learn"]},
    "Scenario": {"Type": "Tag", "Values": ["Business"]},
    "License": {"Type": "Class", "Values": ["MIT"]},
    "Name": {"Type": "String", "Values": "hostile benchmark table"},
    "Description": {"Type": "String", "Values": "A small table regressor."},
    "Input": {"Dimension": 4, "Description": {str(i): f"col {i}" for i in range(4)}},
    "Output": {"Dimension": 1, "Description": {"0": "target"}},
}


# ------------------------------------------------------------------ the catalogue
@dataclass(frozen=True)
class PackageCase:
    """A hostile package: run through ``bmw check`` and uploaded to the dock.

    ``row``: the ``bmw check`` row that must fail ("" when ``bmw check`` cannot see
    the problem, e.g. code that only misbehaves in the sandbox: dock only);
    ``words``: what its refusal must say.
    """

    klass: str
    name: str
    build: Callable[[], bytes]
    row: str
    words: tuple[str, ...] = ()
    dock: bool = True
    dimension: int = 4  # the semantic spec's Input.Dimension on upload

    def semantic(self) -> dict[str, Any]:
        """The semantic spec the package is uploaded with (its ``Input`` matches the
        package, so the dock's refusal is the hostile part's, not a mismatch)."""
        if self.dimension == 4:
            return SEMANTIC
        return SEMANTIC | {"Input": {"Dimension": self.dimension, "Description": {}}}


def _pickle_package(module: str, name: str) -> Callable[[], bytes]:
    def build() -> bytes:
        files = good_files() | {"model.pkl": global_call_pickle(module, name)}
        return build_zip(files, stored=("model.pkl",))

    return build


def report_forging_package() -> bytes:
    """A valid package whose model forges the dock's check report from the sandbox
    (numpy only, so its environment builds quickly)."""
    files = good_files() | {
        "__init__.py": REPORT_FORGING_MODEL.encode(),
        "requirements.txt": b"numpy\n",
    }
    return build_zip(files)


def _zip(extra: dict[str, bytes], *, link: str | None = None) -> Callable[[], bytes]:
    """A builder of the good package plus ``extra`` entries (and a symbolic link
    entry ``link`` pointing at ``/etc/passwd``)."""

    def build() -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            for name, data in (good_files() | extra).items():
                zf.writestr(name, data)
            if link is not None:
                info = zipfile.ZipInfo(link)
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                zf.writestr(info, "/etc/passwd")
        return buffer.getvalue()

    return build


#: Archive tricks beside the zip bomb: (name, builder, words of the refusal).
ARCHIVE_TRICKS: tuple[tuple[str, Callable[[], bytes], tuple[str, ...]], ...] = (
    ("zip_nested_archive", _zip({"weights.zip": build_zip({"a": b"x"})}),
     ("weights.zip", "nested archives are not allowed")),
    ("zip_1005_entries", _zip({f"d/{i}.txt": b"x" for i in range(1001)}),
     ("1005 entries exceed the limit of 1000",)),
    ("zip_path_traversal", _zip({"../../etc/cron.d/x": b"x"}),
     ("path traversal",)),
    ("zip_absolute_path", _zip({"/etc/cron.d/x": b"x"}),
     ("absolute paths are not allowed",)),
    ("zip_symlink", _zip({}, link="link"), ("symbolic links are not allowed",)),
)  # fmt: skip

#: Input dimensions of the catalogue's packages that are not 4 features wide.
_DIMENSIONS = {"stat_spec_20000_points": 1, "stat_spec_wide_point": 2_000_000}


def package_catalogue(quick: bool) -> list[PackageCase]:
    """Every hostile package: the host-side bombs of ``_hostile_packages``, the
    archive tricks of :data:`ARCHIVE_TRICKS`, a pickle
    per hostile global (``quick``: the first 8, all through ``bmw check`` but only
    the first 4 uploaded) and the report-forging model (dock only)."""
    cases = [
        PackageCase(
            CLASSES[_ROW_CLASS.get(p.check, "1")],
            p.name,
            p.build,
            p.check,
            p.words,
            dimension=_DIMENSIONS.get(p.name, 4),
        )
        for p in HOSTILE_PACKAGES
    ]
    cases += [
        PackageCase(CLASSES["6"], name, build, "archive", words)
        for name, build, words in ARCHIVE_TRICKS
    ]
    named = {p.name for p in HOSTILE_PACKAGES}
    hostile = HOSTILE_GLOBALS[:QUICK_PICKLE_GLOBALS] if quick else HOSTILE_GLOBALS
    for index, (module, name) in enumerate(hostile):
        case = f"pickle_global {module}.{name}"
        if module == "multiprocessing.util" and "pickle_spawnv_passfds" in named:
            continue  # the catalogue's own pickle case
        cases.append(
            PackageCase(
                CLASSES["3"],
                case,
                _pickle_package(module, name),
                "pickle",
                (f"{module}.{name}",),
                dock=not quick or index < 4,
            )
        )
    cases.append(
        PackageCase(
            CLASSES["7"], "model_forges_its_check_report", report_forging_package, ""
        )
    )
    return cases


#: The request cases run against the dock, by issue class.
REQUEST_CASES: dict[str, str] = {
    "compat_search_1mb_name": CLASSES["2"],
    "rest_search_query_over_cap": CLASSES["2"],
    "rest_search_scenarios_over_cap": CLASSES["2"],
    "compat_search_tag_value_over_cap": CLASSES["2"],
    "rest_search_json_100000_deep": CLASSES["2"],
    "compat_search_spec_50000_deep": CLASSES["2"],
    "rest_search_stat_spec_100000_deep": CLASSES["2"],
    "rest_body_over_json_size_cap": CLASSES["2"],
    "uploads_by_one_user": CLASSES["2"],
    "edit_after_approval": CLASSES["4"],
    "duplicate_of_private_package": CLASSES["8"],
    "compat_duplicate_of_private_package": CLASSES["8"],
    "api_token_after_password_reset": CLASSES["8"],
    "registration_of_known_email": CLASSES["8"],
}


# ------------------------------------------------------------------ outcomes
@dataclass
class Outcome:
    """One case at one place (``bmw check`` or the dock)."""

    klass: str
    case: str
    where: str
    contained: bool
    outcome: str
    cpu_s: float | None = None
    refused: bool = False  # a package refused (counts for host_cpu_s_max)


def _short(text: str, n: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 3] + "..."


# ------------------------------------------------------------------ bmw check
def _child(names: Sequence[str], quick: bool) -> int:
    """In the child: run ``bmw check`` on each named case, one JSON line per case."""
    from learnware_core.cli.check import run_checks

    cases = {case.name: case for case in package_catalogue(quick)}
    with tempfile.TemporaryDirectory(prefix="bmw-hostile-") as tmp:
        good = Path(tmp) / "good.zip"
        good.write_bytes(good_package())
        run_checks(good, None)  # warm-up: imports are not the package's cost
        for name in names:
            path = Path(tmp) / "case.zip"
            path.write_bytes(cases[name].build())
            start = time.process_time()
            rows = run_checks(path, None)
            cpu = time.process_time() - start
            line = {"name": name, "cpu_s": cpu, "rows": [asdict(r) for r in rows]}
            print(json.dumps(line), flush=True)
            path.unlink()
    return 0


def check_outcome(case: PackageCase, rows: list[dict[str, Any]], cpu: float) -> Outcome:
    """What ``bmw check``'s rows say about ``case``."""
    failed = [r for r in rows if r["status"] == "fail"]
    if not failed:
        return Outcome(
            case.klass,
            case.name,
            "bmw check",
            False,
            "PASSED: the package is valid",
            cpu,
        )
    first = failed[0]
    text = f"{first['key']}: {first['detail']}"
    if first["key"] != case.row or not all(w in first["detail"] for w in case.words):
        text = f"refused on an unexpected row or wording: {text}"
    return Outcome(
        case.klass, case.name, "bmw check", True, _short(text), cpu, refused=True
    )


def _pump(stream: Any, lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def run_bmw_check(cases: Sequence[PackageCase], quick: bool) -> list[Outcome]:
    """Each case through ``bmw check`` in a child process, one after another; a case
    not done within :data:`CHECK_TIMEOUT_S` is killed (not contained) and the child
    restarted for the rest."""
    todo = [case for case in cases if case.row]
    by_name = {case.name: case for case in todo}
    out: dict[str, Outcome] = {}
    while len(out) < len(todo):
        left = [case.name for case in todo if case.name not in out]
        argv = [sys.executable, "-m", "benchmarks.hostile", "--child", *left]
        if quick:
            argv.append("--quick")
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        proc = subprocess.Popen(
            argv, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
        )
        lines: queue.Queue[str | None] = queue.Queue()

        threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
        warm_up_s = 120.0  # the child's imports and warm-up run come first
        for name in left:
            try:
                line = lines.get(timeout=CHECK_TIMEOUT_S + warm_up_s)
            except queue.Empty:
                line = None
                proc.kill()
                out[name] = Outcome(
                    by_name[name].klass,
                    name,
                    "bmw check",
                    False,
                    f"NOT REFUSED within {CHECK_TIMEOUT_S:g} s",
                )
            warm_up_s = 0.0
            if line is None:
                if name not in out:
                    proc.wait()
                    out[name] = Outcome(
                        by_name[name].klass,
                        name,
                        "bmw check",
                        False,
                        f"bmw check died (exit {proc.returncode})",
                    )
                break
            data = json.loads(line)
            out[data["name"]] = check_outcome(
                by_name[data["name"]], data["rows"], data["cpu_s"]
            )
        proc.wait()
    return [out[case.name] for case in todo]


# ------------------------------------------------------------------ the dock
def _tree_cpu(roots: Iterable[int]) -> dict[int, float]:
    """CPU seconds so far, by process id, of ``roots`` and their descendants, except
    the sandbox's (bubblewrap and below); short-lived children (the environment
    installer) are not seen."""
    import psutil  # type: ignore[import-untyped]  # installed with locust

    found: dict[int, float] = {}
    for pid in roots:
        try:
            root = psutil.Process(pid)
            family = [root, *root.children(recursive=True)]
        except psutil.Error:
            continue
        sandboxed: set[int] = set()
        for proc in family:
            try:
                if proc.name() == "bwrap":
                    sandboxed |= {proc.pid, *(c.pid for c in proc.children(True))}
            except psutil.Error:
                continue
        for proc in family:
            if proc.pid in sandboxed:
                continue
            try:
                times = proc.cpu_times()
            except psutil.Error:
                continue
            found[proc.pid] = times.user + times.system
    return found


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two :func:`_tree_cpu` samples (a new process: all of
    its CPU; one that ended in between is not counted)."""
    return sum(max(0.0, t - before.get(pid, 0.0)) for pid, t in after.items())


def _message(response: Any) -> str:
    try:
        body = response.json()
    except ValueError:
        return _short(response.text) or str(response.reason)
    if isinstance(body, dict):
        if isinstance(body.get("message"), str):
            return str(body["message"])
        if "code" in body:
            return f"code {body['code']}: {body.get('msg', '')}"
    return _short(str(body))


class DockCases:
    """The request and upload cases against a live dock."""

    def __init__(self, dock: Any) -> None:
        import requests

        self.dock = dock
        self.url = dock.url
        # A new connection per request: a refused request's body may be left unread,
        # after which the server closes the connection a session would reuse.
        self.http: Any = requests
        self._users = 0
        self.roots = [p.pid for p in dock.procs]

    # --------------------------------------------------------- plumbing
    def developer(self) -> str:
        """A new verified developer's API token."""
        self._users += 1
        token: str = self.dock.token(f"dev{self._users}@example.org")
        return token

    def auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def upload(
        self, token: str, package: bytes, spec: dict[str, Any] | None = None
    ) -> Any:
        return self.http.post(
            f"{self.url}/api/learnwares/",
            headers=self.auth(token),
            data={"semantic_spec": json.dumps(spec or SEMANTIC)},
            files={"package": ("learnware.zip", package, "application/zip")},
            timeout=120,
        )

    def wait_checks(self, token: str, version_id: int) -> dict[str, Any]:
        deadline = time.monotonic() + CHECK_WAIT_S
        while True:
            version: dict[str, Any] = self.http.get(
                f"{self.url}/api/versions/{version_id}/",
                headers=self.auth(token),
                timeout=30,
            ).json()
            if version["status"] not in ("queued", "checking"):
                return version
            if time.monotonic() > deadline:
                return version
            time.sleep(0.5)

    # --------------------------------------------------------- packages
    def package(self, case: PackageCase) -> Outcome:
        """Upload ``case`` as a new developer; refused at the upload (4xx) or by a
        failed check, else (the report-forging model) its report is inspected."""
        token = self.developer()
        data = case.build()
        before = _tree_cpu(self.roots)
        response = self.upload(token, data, case.semantic())
        if response.status_code != 201:
            cpu = cpu_used(before, _tree_cpu(self.roots))
            ok = 400 <= response.status_code < 500
            text = f"{response.status_code}: {_message(response)}"
            if ok and not all(w in text for w in case.words):
                text = f"refused, not by the expected limit: {text}"
            return Outcome(
                case.klass, case.name, "dock", ok, _short(text), cpu, refused=ok
            )
        version = self.wait_checks(token, response.json()["version"]["id"])
        cpu = cpu_used(before, _tree_cpu(self.roots))
        steps = version.get("check_steps", [])
        if case.row == "":
            return self._report_outcome(case, version, steps, cpu)
        failed = [s for s in steps if s["status"] == "failed"]
        if version["status"] == "check_failed" and failed:
            text = f"201, check failed: {failed[0]['name']}: {failed[0]['message']}"
            if not all(w in text for w in case.words):
                text = f"refused, not by the expected check: {text}"
            return Outcome(
                case.klass, case.name, "dock", True, _short(text), cpu, refused=True
            )
        text = f"201, checks ended {version['status']}: NOT REFUSED"
        return Outcome(case.klass, case.name, "dock", False, text, cpu)

    def _report_outcome(
        self, case: PackageCase, version: dict[str, Any], steps: list[Any], cpu: float
    ) -> Outcome:
        from learnware_core.checks import CHECK_STEPS

        names = [s["name"] for s in steps]
        forged = [n for n in names if n not in CHECK_STEPS]
        texts = " ".join(
            str(s.get("message", "")) + str(s.get("log", "")) for s in steps
        )
        unlabelled = "A" * 3000 in texts and "[model output" not in texts
        if version["status"] in ("queued", "checking"):
            text = f"checks not done after {CHECK_WAIT_S:g} s: not measured"
            return Outcome(case.klass, case.name, "dock", False, text, cpu)
        ran = [s for s in steps if s["name"] == "model_loads"]
        if not ran or ran[0]["status"] not in ("passed", "failed"):
            failed = [s for s in steps if s["status"] == "failed"]
            where = f"{failed[0]['name']}: {failed[0]['message']}" if failed else "?"
            text = f"NOT EXERCISED: the model never ran (failed at {where})"
            return Outcome(case.klass, case.name, "dock", False, _short(text), cpu)
        ok = not forged and not unlabelled
        said = f" ({ran[0]['message']})" if ran[0]["status"] == "failed" else ""
        text = (
            f"the steps are the dock's, model text labelled; model_loads "
            f"{ran[0]['status']}{said}"
            if ok
            else f"FORGED: steps {forged}, unlabelled model text {unlabelled}"
        )
        return Outcome(case.klass, case.name, "dock", ok, _short(text), cpu)

    # --------------------------------------------------------- requests
    def _search(self, body: Any, **kwargs: Any) -> Any:
        return self.http.post(
            f"{self.url}/api/learnwares/search/", data=body, timeout=60, **kwargs
        )

    def _compat_search(self, spec: str) -> Any:
        return self.http.post(
            f"{self.url}/api/compat/v1/engine/search_learnware",
            data={"semantic_specification": spec},
            timeout=60,
        )

    def requests_cases(self) -> list[Outcome]:
        """The oversized and deep search requests: each refused with a 4xx (API v1)
        or an error code (compat) naming the field, never a 5xx, never queued."""
        import requests

        json_type = {"Content-Type": "application/json"}
        name_spec = {"Name": {"Type": "String", "Values": ONE_MB_NAME}}
        tag_spec = {"Data": {"Type": "Class", "Values": "z" * 101}}
        deep = "[" * 100_000 + "]" * 100_000
        big = json.dumps({"query": "a", "license": "b" * (3 << 20)})
        sends: dict[str, Callable[[], Any]] = {
            "compat_search_1mb_name": lambda: self._compat_search(
                json.dumps(name_spec)
            ),
            "rest_search_query_over_cap": lambda: self._search(
                json.dumps({"query": "y" * 501}), headers=json_type
            ),
            "rest_search_scenarios_over_cap": lambda: self._search(
                json.dumps({"scenarios": [f"s{i}" for i in range(51)]}),
                headers=json_type,
            ),
            "compat_search_tag_value_over_cap": lambda: self._compat_search(
                json.dumps(tag_spec)
            ),
            "rest_search_json_100000_deep": lambda: self._search(
                deep, headers=json_type
            ),
            "compat_search_spec_50000_deep": lambda: self._compat_search(
                "[" * 50_000 + "]" * 50_000
            ),
            "rest_search_stat_spec_100000_deep": lambda: self._search(
                None, files={"stat_spec": ("stat.json", deep.encode())}
            ),
            "rest_body_over_json_size_cap": lambda: self._search(
                big, headers=json_type
            ),
        }
        out = []
        for name, send in sends.items():
            try:
                response = send()
            except requests.RequestException as exc:
                text = f"NO ANSWER: {type(exc).__name__}: {exc}"
                out.append(
                    Outcome(REQUEST_CASES[name], name, "dock", False, _short(text))
                )
                continue
            code = None
            if name.startswith("compat") and response.status_code == 200:
                code = response.json().get("code")
            refused = 400 <= response.status_code < 500 or code not in (
                None,
                0,
            )  # a compat answer: HTTP 200 with an error code
            text = f"{response.status_code}" + (f" code {code}" if code else "")
            text += f": {_message(response)}"
            out.append(
                Outcome(REQUEST_CASES[name], name, "dock", refused, _short(text))
            )
        return out

    def uploads_by_one_user(self) -> Outcome:
        """One developer uploads distinct good packages back to back: a 429 with
        Retry-After must come before the 21st (BMW_UPLOADS_PER_HOUR 20 and
        BMW_CHECKS_PENDING_MAX 4)."""
        token = self.developer()
        name = "uploads_by_one_user"
        for index in range(1, UPLOADS_TRIED + 1):
            files = good_files() | {"NOTES.txt": f"upload {index}".encode()}
            response = self.upload(token, build_zip(files))
            if response.status_code == 429:
                after = response.headers.get("Retry-After")
                ok = bool(after) and index <= 21
                text = (
                    f"429 at upload {index}, Retry-After {after}: {_message(response)}"
                )
                return Outcome(REQUEST_CASES[name], name, "dock", ok, _short(text))
            if response.status_code != 201:
                text = f"upload {index}: {response.status_code} {_message(response)}"
                return Outcome(REQUEST_CASES[name], name, "dock", False, _short(text))
        return Outcome(
            REQUEST_CASES[name],
            name,
            "dock",
            False,
            f"{UPLOADS_TRIED} uploads accepted, no 429",
        )

    def approved_learnware(self, token: str) -> int:
        """A learnware of ``token``'s user, approved by a reviewer through the API
        (its version marked checked in the database: the checks have their own
        cases)."""
        from market.models import LearnwareVersion

        response = self.upload(token, build_zip(good_files() | {"NOTES.txt": b"ok"}))
        if response.status_code != 201:
            raise RuntimeError(f"upload: {response.status_code} {_message(response)}")
        version_id = response.json()["version"]["id"]
        versions = LearnwareVersion.objects.filter(id=version_id)
        if not versions.filter(status="queued").update(status="awaiting_review"):
            self.wait_checks(token, version_id)
            versions.update(status="awaiting_review")
        reviewer = self.dock.token("reviewer@example.org", "reviewer")
        review = self.http.post(
            f"{self.url}/api/versions/{version_id}/review/",
            headers=self.auth(reviewer),
            json={"decision": "approve"},
            timeout=30,
        )
        if review.status_code != 200:
            raise RuntimeError(f"approve: {review.status_code} {_message(review)}")
        return int(response.json()["id"])

    def edit_after_approval(self, token: str, learnware_id: int) -> Outcome:
        """The owner renames the approved learnware and links an .exe, with and
        without a refused word: the approved text must stay listed."""
        name = "edit_after_approval"
        lure = "Official dock security patch"
        answers = []
        for words in ("", " Protects you from ransomware."):
            spec = json.loads(json.dumps(SEMANTIC))
            spec["Name"]["Values"] = lure
            spec["Description"]["Values"] = (
                "Install https://evil.example/patch.exe now." + words
            )
            response = self.http.patch(
                f"{self.url}/api/learnwares/{learnware_id}/",
                headers=self.auth(token),
                json={"semantic_spec": spec},
                timeout=30,
            )
            answers.append(str(response.status_code))
        public = self.http.get(f"{self.url}/api/learnwares/{learnware_id}/", timeout=30)
        shown = public.json().get("name") if public.status_code == 200 else None
        listed = self.http.get(
            f"{self.url}/api/learnwares/", params={"page_size": 100}, timeout=30
        ).json()
        names = [item.get("name") for item in listed.get("results", [])]
        ok = shown == SEMANTIC["Name"]["Values"] and lure not in names
        text = f"edits answered {'/'.join(answers)}; the public page shows {shown!r}"
        return Outcome(REQUEST_CASES[name], name, "dock", ok, _short(text))

    def duplicate_of_private(self) -> Outcome:
        """Developer B uploads the bytes of developer A's unlisted package: answered
        like a new upload (201), not a 409 that tells the package exists."""
        name = "duplicate_of_private_package"
        package = build_zip(good_files() | {"NOTES.txt": b"private"})
        first = self.upload(self.developer(), package)
        second = self.upload(self.developer(), package)
        ok = first.status_code == 201 and second.status_code == 201
        text = f"owner {first.status_code}, other user {second.status_code}"
        if second.status_code != 201:
            text += f": {_message(second)}"
        return Outcome(REQUEST_CASES[name], name, "dock", ok, _short(text))

    def compat_duplicate_of_private(self) -> Outcome:
        """The same through the original client's protocol: developer B's chunked
        upload and add of developer A's unlisted package answer code 0 (not 51 / 61,
        which would confirm it exists)."""
        name = "compat_duplicate_of_private_package"
        package = build_zip(good_files() | {"NOTES.txt": b"private, compat"})
        first = self.upload(self.developer(), package)
        token = self.developer()
        email = f"dev{self._users}@example.org"
        compat = f"{self.url}/api/compat/v1"
        login = self.http.post(
            f"{compat}/auth/login_by_token",
            json={"email": email, "token": token},
            timeout=30,
        ).json()
        headers = self.auth(token)
        file_hash = hashlib.md5(package).hexdigest()  # the original protocol's key
        chunk = self.http.post(
            f"{compat}/user/chunked_upload",
            headers=headers,
            data={"file_hash": file_hash, "chunk_begin": 0},
            files={"chunk_file": ("chunk_file", package, "application/octet-stream")},
            timeout=60,
        ).json()
        added = self.http.post(
            f"{compat}/user/add_learnware_uploaded",
            headers=headers,
            json={
                "file_hash": file_hash,
                "semantic_specification": json.dumps(SEMANTIC),
            },
            timeout=60,
        ).json()
        codes = [login.get("code"), chunk.get("code"), added.get("code")]
        ok = first.status_code == 201 and codes == [0, 0, 0]
        text = f"owner {first.status_code}; other user: login, chunk, add codes {codes}"
        if not ok:
            text += f": {chunk.get('msg')} / {added.get('msg')}"
        return Outcome(REQUEST_CASES[name], name, "dock", ok, _short(text))

    def token_after_reset(self) -> Outcome:
        """A user's API token must stop working after a password reset (the reset
        link read from the dock's mail folder, as the user would)."""
        import re

        name = "api_token_after_password_reset"
        email = "reset@example.org"
        token = self.dock.token(email)
        mail = Path(self.dock.env["DJANGO_EMAIL_FILE_PATH"])
        asked = self.http.post(
            f"{self.url}/api/auth/password-reset/", json={"email": email}, timeout=30
        )
        link = None
        deadline = time.monotonic() + 60
        while link is None and time.monotonic() < deadline:
            for path in sorted(mail.glob("*")) if mail.is_dir() else ():
                found = re.search(
                    r"reset-password\?token=([\w\-.~%]+)", path.read_text()
                )
                link = found[1] if found else link
            time.sleep(0.5)
        if link is None:
            text = f"reset asked ({asked.status_code}); no mail within 60 s"
            return Outcome(REQUEST_CASES[name], name, "dock", False, text)
        confirmed = self.http.post(
            f"{self.url}/api/auth/password-reset/confirm/",
            json={"token": link, "new_password": "a new long passphrase 42"},
            timeout=30,
        )
        after = self.http.get(
            f"{self.url}/api/users/me/", headers=self.auth(token), timeout=30
        )
        ok = confirmed.status_code == 204 and after.status_code == 401
        text = f"reset {confirmed.status_code}; old API token then {after.status_code}"
        return Outcome(REQUEST_CASES[name], name, "dock", ok, text)

    def registration(self) -> Outcome:
        """Registering a known and an unknown address answers alike."""
        name = "registration_of_known_email"
        answers = []
        for email in ("dev1@example.org", "nobody-yet@example.org"):
            response = self.http.post(
                f"{self.url}/api/auth/register/",
                json={"email": email, "password": "a long passphrase 1234"},
                timeout=30,
            )
            body = response.json() if response.content else {}
            if isinstance(body, dict):
                body = {k: v for k, v in body.items() if k != "email"}
            answers.append((response.status_code, json.dumps(body, sort_keys=True)))
        ok = answers[0] == answers[1]
        text = f"known {answers[0][0]}, unknown {answers[1][0]}, " + (
            "same answer" if ok else f"DIFFERENT: {answers[0][1]} / {answers[1][1]}"
        )
        return Outcome(REQUEST_CASES[name], name, "dock", ok, _short(text))


#: What else a learnware's code tries inside the sandbox (besides
#: ``_hostile_sandbox``'s escape probe and scratch flood): one JSON line per attempt,
#: ``held`` whether the sandbox stopped it.
SANDBOX_LOOKS = r"""
import json, os, socket, sys

def say(case, held, detail):
    print(json.dumps({"case": case, "held": bool(held), "detail": str(detail)[:160]}))

needed = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix)}


def readable(path):
    try:
        if os.path.isdir(path):  # beyond the interpreter's own read-only binds
            inside = [os.path.join(path, name) for name in os.listdir(path)]
            return any(
                not any(n == e or n.startswith(e + "/") for n in needed) for e in inside
            )
        with open(path, "rb") as fh:
            fh.read(1)
        return True
    except OSError:
        return False

private = ("/usr/share", "/usr/local", "/usr/include", "/etc/shadow", "/root",
           "/home", sys.argv[2] + "/bmw/settings/base.py", sys.argv[2] + "/.git")
seen = [path for path in private if readable(path)]
say("sandbox read host files", not seen, f"visible: {seen or 'none'}")
dock = ("DJANGO", "DATABASE", "REDIS", "BMW_S3")
leaked = [k for k in os.environ if k.startswith(dock)]
say("sandbox read the dock's variables", not leaked, f"seen: {leaked or 'none'}")
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3).close()
    say("sandbox connect to a local service", False, "connected")
except OSError as exc:
    say("sandbox connect to a local service", True, f"refused: {exc}")
"""
FLOOD_BYTES = 600 << 20  # the 600 MB the issue wrote to the host disk


def _syscall_number(name: str) -> int:
    from learnware_core.runtime import seccomp

    return int(seccomp._library().seccomp_syscall_resolve_name(name.encode()))


def _probe_outcomes(stdout: str) -> list[Outcome]:
    """``escape_probe``'s lines: ``unshare -Urm`` and each call must fail."""
    klass, out = CLASSES["5"], []
    for line in stdout.splitlines():
        if line.startswith("unshare "):
            held = not line.startswith("unshare 0")
            out.append(Outcome(klass, "sandbox unshare -Urm", "sandbox", held, line))
        elif line != "thread ok":
            label = next((lb for lb, _ in ESCAPE_CALLS if line.startswith(lb)), None)
            if label is not None:
                held = line.endswith(" -1 Operation not permitted")
                out.append(
                    Outcome(klass, f"sandbox {label}", "sandbox", held, _short(line))
                )
    return out


def _flood_outcomes(stdout: str, left: int) -> list[Outcome]:
    """``scratch_flood``'s lines: every path stops short of 600 MiB, and nothing
    reaches the host disk."""
    klass, out = CLASSES["5"], []
    stopped = {line.split()[0]: line for line in stdout.splitlines() if line.strip()}
    for path in ("big.bin", "/tmp/big.bin", "/dev/shm/big.bin"):
        line = stopped.get(path)
        text = (
            f"{line.split()[1]} MiB, then {line.split()[2]}" if line else "all written"
        )
        name = f"sandbox write 600 MiB to {'scratch' if path == 'big.bin' else path}"
        out.append(Outcome(klass, name, "sandbox", line is not None, text))
    text = f"{left} bytes left on the host disk"
    out.append(
        Outcome(klass, "sandbox scratch on the host disk", "sandbox", left == 0, text)
    )
    return out


def sandbox_cases(port: int = 6379) -> list[Outcome]:
    """Escape attempts run as a learnware's code runs: ``run_sandboxed`` with the
    dock's default limits (seccomp filter, tmpfs scratch quota, read-only binds of
    only what Python needs): ``_hostile_sandbox``'s escape probe and scratch flood,
    and looks at host files, the dock's variables and a local ``port``."""
    from learnware_core.runtime.environment import Environment
    from learnware_core.runtime.errors import SandboxUnavailableError
    from learnware_core.runtime.sandbox import run_sandboxed

    klass = CLASSES["5"]
    binds = Environment.current().binds
    out: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="bmw-hostile-sandbox-") as tmp:
        runs = {
            "probe": escape_probe(_syscall_number),
            "flood": scratch_flood(FLOOD_BYTES),
            "looks": SANDBOX_LOOKS,
        }
        for name, code in runs.items():
            scratch = Path(tmp) / name
            scratch.mkdir()
            argv = [sys.executable, "-I", "-c", code, str(port), str(REPO)]
            try:
                result = run_sandboxed(argv, scratch_dir=scratch, binds=binds)
            except SandboxUnavailableError as exc:
                text = _short(f"NO SANDBOX: {exc}")
                return [Outcome(klass, "sandbox available", "sandbox", False, text)]
            if name == "probe":
                found = _probe_outcomes(result.stdout)
            elif name == "flood":
                left = sum(f.stat().st_size for f in scratch.rglob("*") if f.is_file())
                found = _flood_outcomes(result.stdout, left)
            else:
                found = [
                    Outcome(
                        klass,
                        item["case"],
                        "sandbox",
                        item["held"],
                        _short(item["detail"]),
                    )
                    for item in map(json.loads, result.stdout.splitlines())
                ]
            if not found:
                text = _short(f"no answer ({result.describe()}): {result.stderr}")
                found = [Outcome(klass, f"sandbox {name}", "sandbox", False, text)]
            out += found
    return out


# ------------------------------------------------------------------ search under abuse
@dataclass
class Timed:
    seconds: float
    status: int  # 0: no answer
    code: int | None = None  # a compat answer's code


def _send(send: Callable[[], Any]) -> Timed:
    import requests

    start = time.perf_counter()
    try:
        response = send()
    except requests.RequestException:
        return Timed(time.perf_counter() - start, 0)
    code = None
    if "compat" in response.url and response.status_code == 200:
        code = response.json().get("code")
    return Timed(time.perf_counter() - start, response.status_code, code)


def search_under_abuse(
    url: str,
    tokens: Sequence[str],
    seconds: float,
    web_cpu: Callable[[], dict[int, float]] | None = None,
) -> dict[str, Any]:
    """Normal REST searches (``NORMAL_PER_S`` a second, round-robin over the
    signed-in ``tokens``) while ``ABUSE_PER_S`` anonymous compat searches with a
    1 MB ``Name`` arrive every second, each from another address (``X-Forwarded-For``
    through the one proxy the dock trusts), so only the cap stops them. First a
    baseline of normal searches and, with ``web_cpu`` (the web processes' CPU by
    pid), the web side's CPU per oversized search, over 10 sent one after another."""
    import requests

    def normal(i: int) -> Timed:
        return _send(
            lambda: requests.post(
                f"{url}/api/learnwares/search/",
                json={"query": "table regression"},
                headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"},
                timeout=SEARCH_TIMEOUT_S,
            )
        )

    spec = json.dumps({"Name": {"Type": "String", "Values": ONE_MB_NAME}})
    addresses = itertools.count(1)

    def abusive() -> Timed:
        n = next(addresses)  # each from its own address: no throttle stops them
        forwarded = {"X-Forwarded-For": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"}
        return _send(
            lambda: requests.post(
                f"{url}/api/compat/v1/engine/search_learnware",
                data={"semantic_specification": spec},
                headers=forwarded,
                timeout=SEARCH_TIMEOUT_S,
            )
        )

    baseline = [normal(i) for i in range(5)]
    cpu_each_ms = None
    if web_cpu is not None:
        before = web_cpu()
        for _ in range(10):
            abusive()
        cpu_each_ms = round(100 * cpu_used(before, web_cpu()), 1)  # 1000 / 10
    n_normal = int(seconds * NORMAL_PER_S)
    n_abuse = int(seconds * ABUSE_PER_S)
    t0 = time.perf_counter()

    def at(offset: float, index: int | None = None) -> Timed:
        time.sleep(max(0.0, t0 + offset - time.perf_counter()))
        return abusive() if index is None else normal(index)

    with ThreadPoolExecutor(n_normal + n_abuse) as pool:
        bad = [pool.submit(at, i / ABUSE_PER_S) for i in range(n_abuse)]
        good = [pool.submit(at, 0.1 + i / NORMAL_PER_S, i) for i in range(n_normal)]
        normal_results = [f.result() for f in good]
        abuse_results = [f.result() for f in bad]
    result = summarise_search(baseline, normal_results, abuse_results, seconds)
    result["search"]["abusive_web_cpu_ms_each"] = cpu_each_ms
    result["search"]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def _p(values: Sequence[float], q: float) -> float:
    """The ``q`` percentile (linear interpolation, as numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summarise_search(
    baseline: Sequence[Timed],
    normal: Sequence[Timed],
    abuse: Sequence[Timed],
    seconds: float,
) -> dict[str, Any]:
    """The search figures: a normal search that failed counts as its timeout."""
    latencies = [
        1000 * (t.seconds if t.status == 200 else SEARCH_TIMEOUT_S) for t in normal
    ]
    statuses: dict[str, int] = {}
    for t in abuse:
        key = f"{t.status}" + (f" code {t.code}" if t.code is not None else "")
        statuses[key] = statuses.get(key, 0) + 1
    return {
        "search_p95_ms_under_abuse": round(_p(latencies, 95), 1),
        "search_5xx": sum(t.status >= 500 for t in normal),
        "search": {
            "seconds": seconds,
            "normal": len(normal),
            "normal_ok": sum(t.status == 200 for t in normal),
            "normal_no_answer": sum(t.status == 0 for t in normal),
            "p50_ms": round(_p(latencies, 50), 1),
            "max_ms": round(max(latencies), 1) if latencies else None,
            "baseline_p50_ms": round(
                1000 * statistics.median(t.seconds for t in baseline), 1
            )
            if baseline
            else None,
            "abusive": len(abuse),
            "abusive_answers": dict(sorted(statuses.items())),
            "abusive_5xx": sum(t.status >= 500 for t in abuse),
            "abusive_p95_ms": round(_p([1000 * t.seconds for t in abuse], 95), 1),
        },
    }


# ------------------------------------------------------------------ fuzzing
def fuzz(url: str, token: str, quick: bool) -> dict[str, Any]:
    """A short ``benchmarks.fuzz`` run (API v1 and the compat API)."""
    from benchmarks.fuzz import run_fuzz

    report = run_fuzz(
        url,
        token=token,
        max_examples=5 if quick else 20,
        seed=0,
        time_budget_s=20.0 if quick else 90.0,
        anonymous_coverage=not quick,
    )
    compat = sorted(
        {
            label
            for stats in report.identities.values()
            for label in stats.response_s
            if "/api/compat/" in label
        }
    )
    return {
        "fuzz_5xx": report.five_xx,
        "fuzz": {
            "cases": report.cases,
            "schema_violations": report.schema_violations,
            "other_failures": report.other_failures,
            "errors": report.errors,
            "compat_operations": len(compat),
            "failures": [_short(f, 200) for f in report.failures[:10]],
        },
    }


# ------------------------------------------------------------------ the run
def run_dock(cases: Sequence[PackageCase], quick: bool) -> dict[str, Any]:
    """Every dock case, then search under abuse and fuzzing, on one throw-away dock."""
    from benchmarks._dock import Dock

    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="bmw-bench-hostile-") as tmp:
        state = Path(tmp)
        dock = Dock(state)
        # A persistent environment cache: the report case builds one (numpy) once.
        envs = Path(tempfile.gettempdir()) / "bmw-bench-hostile-envs"
        dock.env["BMW_ENV_CACHE_DIR"] = str(envs)
        dock.env["DJANGO_EMAIL_BACKEND"] = (
            "django.core.mail.backends.filebased.EmailBackend"
        )
        dock.env["DJANGO_EMAIL_FILE_PATH"] = str(state / "mail")
        # Behind one proxy: the abusive searches come from many addresses.
        dock.env["BMW_NUM_PROXIES"] = "1"
        dock.start(search=True)
        try:
            run = DockCases(dock)
            owner = run.developer()
            learnware_id = run.approved_learnware(owner)
            normal_users = [
                dock.token(f"searcher{i}@example.org") for i in range(NORMAL_USERS)
            ]
            print(f"dock at {dock.url}: request cases ...", flush=True)
            outcomes += run.requests_cases()
            print("search under abuse ...", flush=True)
            web = [
                p.pid for n, p in zip(dock.names, dock.procs, strict=True) if n == "web"
            ]
            search = search_under_abuse(
                dock.url,
                normal_users,
                15.0 if quick else 45.0,
                web_cpu=lambda: _tree_cpu(web),
            )
            outcomes.append(run.edit_after_approval(owner, learnware_id))
            outcomes.append(run.duplicate_of_private())
            outcomes.append(run.compat_duplicate_of_private())
            outcomes.append(run.token_after_reset())
            outcomes.append(run.registration())
            print("hostile packages ...", flush=True)
            for case in cases:
                if case.dock:
                    outcomes.append(run.package(case))
            outcomes.append(run.uploads_by_one_user())
            print("fuzzing ...", flush=True)
            fuzzed = fuzz(dock.url, dock.token("fuzzer@example.org"), quick)
        finally:
            dock.stop()
            shutil.rmtree(LOGS, ignore_errors=True)
            shutil.copytree(state / "logs", LOGS, dirs_exist_ok=True)
            print(f"the dock's logs: {LOGS}", flush=True)
    return {"outcomes": outcomes, **search, **fuzzed}


def figures(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """``total``, ``contained``, ``host_cpu_s_max`` and the counts by class."""
    refused = [o.cpu_s for o in outcomes if o.refused and o.cpu_s is not None]
    by_class: dict[str, list[int]] = {}
    for o in outcomes:
        counts = by_class.setdefault(o.klass, [0, 0])
        counts[0] += 1
        counts[1] += o.contained
    return {
        "total": len(outcomes),
        "contained": sum(o.contained for o in outcomes),
        "host_cpu_s_max": round(max(refused), 3) if refused else None,
        "by_class": {
            k: {"total": v[0], "contained": v[1]} for k, v in sorted(by_class.items())
        },
        "not_contained": [
            f"{o.where}: {o.case}: {o.outcome}" for o in outcomes if not o.contained
        ],
    }


def checks(result: dict[str, Any]) -> list[str]:
    """The targets missed (empty: all hold); a figure not measured is a miss."""
    failed = []
    if result["contained"] != result["total"]:
        failed.append(f"contained {result['contained']} of {result['total']} cases")
    compare = {"<": float.__lt__, "==": float.__eq__}
    for key, (op, target) in TARGETS.items():
        value = result.get(key)
        if value is None:
            if key in result:
                failed.append(f"{key} not measured")
            continue
        if not compare[op](float(value), float(target)):
            failed.append(f"{key} = {value} (target {op} {target:g})")
    return failed


def print_table(outcomes: Sequence[Outcome]) -> None:
    head = ("class", "case", "where", "outcome", "cpu s")
    rows = [
        (
            o.klass,
            o.case,
            o.where,
            ("" if o.contained else "NOT CONTAINED: ") + o.outcome,
            "" if o.cpu_s is None else f"{o.cpu_s:.3f}",
        )
        for o in sorted(outcomes, key=lambda o: (o.klass, o.case, o.where))
    ]
    widths = [min(60, max(len(r[i]) for r in [head, *rows])) for i in range(4)]
    for row in [head, (*("-" * w for w in widths), "-----"), *rows]:
        cells = [f"{c:<{w}}" for c, w in zip(row[:4], widths, strict=True)]
        print("  ".join([*cells, row[4]]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="a CI-sized run")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 unless every target holds"
    )
    parser.add_argument(
        "--no-dock",
        action="store_true",
        help="bmw check and the sandbox only (no dock, search or fuzz figures)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child, args.quick)
    started = time.perf_counter()
    load_start = [round(x, 2) for x in os.getloadavg()]
    cases = package_catalogue(args.quick)
    print(
        f"{sum(bool(c.row) for c in cases)} packages through bmw check ...", flush=True
    )
    check_started = time.perf_counter()
    outcomes = run_bmw_check(cases, args.quick)
    print("escape attempts in the sandbox ...", flush=True)
    outcomes += sandbox_cases()
    seconds = {"bmw_check": round(time.perf_counter() - check_started, 1)}
    extra: dict[str, Any] = {}
    if not args.no_dock:
        dock_started = time.perf_counter()
        extra = run_dock(cases, args.quick)
        outcomes += extra.pop("outcomes")
        seconds["dock"] = round(time.perf_counter() - dock_started, 1)
    print_table(outcomes)
    result: dict[str, Any] = {**figures(outcomes)}
    for key in ("search_p95_ms_under_abuse", "search_5xx", "fuzz_5xx"):
        if not args.no_dock:  # without a dock they are not part of the run
            result[key] = extra.get(key)
    result |= {k: v for k, v in extra.items() if k not in result}
    result["targets"] = {k: f"{op} {v:g}" for k, (op, v) in TARGETS.items()}
    result["seconds"] = seconds
    result["loadavg"] = {
        "start": load_start,
        "end": [round(x, 2) for x in os.getloadavg()],
    }
    return finish(
        result, quick=args.quick, started=started, checks=checks if args.check else None
    )


if __name__ == "__main__":
    raise SystemExit(main())

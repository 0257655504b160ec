"""API fuzzing: schemathesis against the dock's OpenAPI schema, anonymous and signed in.

Loads ``/api/schema/`` from a live dock and runs schemathesis's engine (the one behind
``schemathesis run``) with a fixed seed, once without credentials and, given an API
token, once more as its user (``Authorization: Bearer <token>``; the dock also takes
``Token <token>``, see ``accounts/authentication.py``). Phases: the schema's examples,
coverage (boundary and invalid values, missing or wrong credentials), fuzzing
(``max_examples`` cases per operation) and stateful sequences where the schema lets
schemathesis link operations (an id a response returns fed to the next request).

Every response is checked: no 5xx (``not_a_server_error``); status code, content type,
headers and body as documented (the *schema violations*); invalid input rejected with
a 4xx (``negative_data_rejection``), unsupported methods answered 405 with ``Allow``,
secured operations refusing missing credentials, and nothing served after a delete.

No operation is excluded. What is held back, and why:

* ``DELETE /api/api-tokens/{id}/`` never gets the id of the token the run signs in
  with (it is sent with id 0, which no token has): revoking it would turn every later
  case into a 401. Other ids, and the anonymous run, are fuzzed as usual.
* ``/api/compat/v1/`` (the original client's protocol) answers invalid input and
  missing credentials with HTTP 200 and an error code, on purpose: the three checks
  that demand a 4xx for those (``negative_data_rejection``, ``ignored_auth``,
  ``missing_required_header``) are off there; every other check runs.
* Requests whose request line exceeds :data:`MAX_REQUEST_LINE` bytes are not sent:
  the HTTP server refuses them (gunicorn: 414) before the dock sees them.
* Form cases whose invalid part the form encoding erases are not sent: a form is a
  set of named text fields, so an array instead of the body arrives as an empty
  form, an array for a single field as the field repeated (Django reads the last),
  an object for a text field as its JSON text: all valid requests.

Use a throw-away account on a throw-away dock: the fuzzer registers accounts, edits
the profile and, as an admin, changes other users and learnwares (administrators
cannot change their own role or status, so the token stays valid).

Usage::

    python -m benchmarks.fuzz --url http://127.0.0.1:8000 [--token T] \\
        [--max-examples N | --quick] [--seed S] [--time-budget SECONDS] [--workers W]

Prints a table per identity and the failures; the last line is one JSON object
``{"fuzz_cases": ..., "fuzz_5xx": ..., "schema_violations": ...}``. Exits 1 on any 5xx,
schema violation, other failed check or error. ``benchmarks.load`` imports
:func:`run_fuzz` and :class:`FuzzReport`.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests

SCHEMA_PATH = "/api/schema/"
QUICK_MAX_EXAMPLES = 5  # tests/bmw/test_fuzz.py's size

SERVER_ERROR_CHECKS = frozenset({"not_a_server_error"})
# The response is not what the schema documents.
SCHEMA_CHECKS = frozenset(
    {
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    }
)
# Further checks that hold for the dock (counted as ``other_failures``).
OTHER_CHECKS = frozenset(
    {
        "negative_data_rejection",  # invalid input gets a 4xx, never a 2xx
        "missing_required_header",
        "unsupported_method",  # 405 for methods an operation does not have
        "allow_header_conformance",  # ... with an Allow header naming the others
        "ignored_auth",  # secured operations refuse missing/invalid credentials
        "use_after_free",  # stateful: nothing served after its DELETE
        "ensure_resource_availability",  # stateful: what was created can be read
    }
)
CHECKS = SERVER_ERROR_CHECKS | SCHEMA_CHECKS | OTHER_CHECKS
# Not enabled: positive_data_acceptance (schema-valid input can still be refused by
# rules a schema cannot express: a taken e-mail, a wrong password, an unknown id) and
# object_level_authorization (needs a second account's resources).

# The original client's protocol (/api/compat/v1/, market/compat/envelope.py) answers
# invalid input and missing credentials with HTTP 200 and an error code, on purpose:
# the checks that demand a 4xx for those do not apply there (the rest do).
COMPAT_PATHS = "^/api/compat/"
COMPAT_EXEMPT_CHECKS = (
    "negative_data_rejection",
    "ignored_auth",
    "missing_required_header",
)
# Longer request lines are refused by the HTTP server before the dock sees them
# (gunicorn: 414 above 4094 bytes; a proxy has a limit too): not generated.
MAX_REQUEST_LINE = 4000
FORM_MEDIA_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")

TOKEN_REVOKE_PATH = "/api/api-tokens/{api_token_id}/"
# API-token ids the running fuzzers sign in with; never revoked by a fuzzed DELETE.
_protected_token_ids: set[int] = set()
_hook_lock = threading.Lock()
_hook_installed = False


@dataclass
class FuzzCounts:
    """What a run (or one identity's share of it) counted."""

    cases: int = 0
    five_xx: int = 0
    schema_violations: int = 0
    other_failures: int = 0
    errors: int = 0
    operations: int = 0
    elapsed_s: float = 0.0


@dataclass
class IdentityStats(FuzzCounts):
    """One identity's share of a run."""

    # phase -> "success", "failure", "skipped (disabled)", ...
    phases: dict[str, str] = field(default_factory=dict)
    phase_cases: dict[str, int] = field(default_factory=dict)
    # "METHOD /path" -> seconds spent waiting for its responses
    response_s: dict[str, float] = field(default_factory=dict)


@dataclass
class FuzzReport(FuzzCounts):
    """The outcome of :func:`run_fuzz`. Failures are counted once per distinct
    (identity, operation, check, problem, status), not per response."""

    seed: int = 0
    max_examples: int = 0
    # "[identity] METHOD /path -> status: check: problem"
    failures: list[str] = field(default_factory=list)
    # One curl command per failure (credentials filtered), same order as failures.
    reproduce: list[str] = field(default_factory=list)
    identities: dict[str, IdentityStats] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (
            self.five_xx or self.schema_violations or self.other_failures or self.errors
        )

    def summary_line(self) -> dict[str, int]:
        return {
            "fuzz_cases": self.cases,
            "fuzz_5xx": self.five_xx,
            "schema_violations": self.schema_violations,
        }

    def table(self) -> str:
        head = ("identity", "ops", "cases", "5xx", "schema", "other", "errors", "s")
        rows = [
            (
                name,
                str(s.operations),
                str(s.cases),
                str(s.five_xx),
                str(s.schema_violations),
                str(s.other_failures),
                str(s.errors),
                f"{s.elapsed_s:.1f}",
            )
            for name, s in self.identities.items()
        ]
        rows.append(
            (
                "total",
                str(self.operations),
                str(self.cases),
                str(self.five_xx),
                str(self.schema_violations),
                str(self.other_failures),
                str(self.errors),
                f"{self.elapsed_s:.1f}",
            )
        )
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

        def fmt(row: tuple[str, ...]) -> str:
            return "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )

        lines = [fmt(head), "  ".join("-" * w for w in widths)]
        lines += [fmt(r) for r in rows]
        for name, s in self.identities.items():
            phases = ", ".join(
                f"{p} {status} ({s.phase_cases.get(p, 0)} cases)"
                for p, status in s.phases.items()
            )
            lines.append(f"{name} phases: {phases or '-'}")
            slowest = sorted(s.response_s.items(), key=lambda kv: -kv[1])[:5]
            waits = ", ".join(f"{label} {sec:.1f}s" for label, sec in slowest)
            lines.append(f"{name} slowest: {waits or '-'}")
        return "\n".join(lines)

    def describe_failures(self, limit: int = 50) -> str:
        """The failures, each with its curl command, for a person to read."""
        out = []
        for text, curl in list(zip(self.failures, self.reproduce, strict=True))[:limit]:
            out.append(f"- {text}" + (f"\n    {curl}" if curl else ""))
        if len(self.failures) > limit:
            out.append(f"... and {len(self.failures) - limit} more")
        return "\n".join(out)


def _install_token_guard() -> None:
    """A (process-wide) schemathesis hook: a fuzzed revoke of a protected token is
    sent with id 0 instead (no token has it: a 404, as for any unknown id)."""
    global _hook_installed
    with _hook_lock:
        if _hook_installed:
            return
        import schemathesis

        @schemathesis.hook
        def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
            if (
                case.method.upper() == "DELETE"
                and case.path == TOKEN_REVOKE_PATH
                and isinstance(case.path_parameters, dict)
            ):
                value: Any = case.path_parameters.get("api_token_id")
                try:
                    protected = int(value) in _protected_token_ids
                except (TypeError, ValueError, OverflowError):
                    protected = False
                if protected:
                    case.path_parameters["api_token_id"] = 0

        _hook_installed = True


def _sendable(context: Any, case: Any) -> bool:
    """Whether the case reaches the dock as generated (a ``filter_case`` hook).

    Not sent: request lines over :data:`MAX_REQUEST_LINE` (the HTTP server refuses
    them), and form bodies whose "invalid" part cannot be told from valid input on
    the wire: a form is a set of named text fields, so an array instead of the whole
    object arrives as an empty form, an array for a single field as that field
    repeated (or absent when empty; Django reads the last), and an object in a text
    field as its JSON, which is valid text.
    """
    from schemathesis.core import NotSet

    if case.media_type in FORM_MEDIA_TYPES:
        if not isinstance(case.body, dict | NotSet):
            return False
        if isinstance(case.body, dict):
            fields = _form_fields(case)
            for name, value in case.body.items():
                field = fields.get(name)
                if isinstance(value, list) and not _is_array(field):
                    return False
                if _structured(value) and _is_text(field):
                    return False
    try:
        kwargs = case.as_transport_kwargs(base_url="http://h")
        url = (
            requests.Request(
                method=kwargs["method"], url=kwargs["url"], params=kwargs.get("params")
            )
            .prepare()
            .path_url
        )
    except Exception:  # not serialisable: let schemathesis report it
        return True
    return len(case.method) + len(url) + len(" HTTP/1.1") < MAX_REQUEST_LINE


def _form_fields(case: Any) -> dict[str, Any]:
    """The schemas of the case's form fields, by name."""
    for body in case.operation.body:
        if body.media_type == case.media_type:
            return dict(body.form_properties or {})
    return {}


def _structured(value: Any) -> bool:
    """An object, or an array holding objects or arrays: JSON text in a form."""
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and any(isinstance(v, dict | list) for v in value)


def _is_array(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "array"


def _is_text(schema: Any) -> bool:
    """A text field (or a repeated one) whose every value is valid text."""
    if not isinstance(schema, dict):
        return False
    if schema.get("type") == "array":
        schema = schema.get("items")
        if not isinstance(schema, dict):
            return False
    return bool(
        schema.get("type") == "string"
        and schema.get("format") != "binary"
        and not schema.get("enum")
        and not schema.get("pattern")
    )


def _token_id(base_url: str, token: str) -> int | None:
    """The id of ``token`` (its prefix is ``bmw_<prefix>_...``), from the token list."""
    parts = token.split("_")
    prefix = parts[1] if len(parts) >= 3 else None
    response = requests.get(
        f"{base_url}/api/api-tokens/",
        headers={"Authorization": f"Bearer {token}"},
        params={"page_size": 100},
        timeout=30,
    )
    if response.status_code == 401:
        raise ValueError(f"the API token is not accepted: {response.text[:200]}")
    response.raise_for_status()
    body = response.json()
    items = body.get("results", []) if isinstance(body, dict) else body
    for item in items:
        if item.get("prefix") == prefix:
            return int(item["id"])
    return None


def _config(
    base_url: str,
    *,
    token: str | None,
    max_examples: int,
    seed: int,
    max_time: int | None,
    workers: int,
    request_timeout_s: float,
    coverage: bool = True,
) -> Any:
    import schemathesis

    checks: dict[str, Any] = {"enabled": False}
    checks.update({name: {"enabled": True} for name in sorted(CHECKS)})
    auth: dict[str, Any] = {"auto-signup": False}  # anonymous means anonymous
    if token:
        auth["openapi"] = {"apiToken": {"bearer": token}}
    data: dict[str, Any] = {
        "seed": seed,
        "color": False,
        "base-url": base_url,
        "workers": workers,
        "request-timeout": request_timeout_s,
        "cache": {"enabled": False},  # no replay of earlier runs' failures
        "generation": {
            "mode": "all",  # valid and invalid input
            "max-examples": max_examples,
            "database": "none",  # the seed alone decides the cases
        },
        "checks": checks,
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": coverage},
            "fuzzing": {"enabled": True},
            "stateful": {
                "enabled": True,
                "inference": {
                    "algorithms": ["location-headers", "dependency-analysis"]
                },
            },
        },
        "auth": auth,
        "operations": [
            {
                "include-path-regex": COMPAT_PATHS,
                "checks": {name: {"enabled": False} for name in COMPAT_EXEMPT_CHECKS},
            }
        ],
    }
    if max_time is not None:
        data["max-time"] = max(1, max_time)
    return schemathesis.Config.from_dict(data)


def _describe(identity: str, case: Any, status: int | None, check: str, failure: Any):
    title = str(getattr(failure, "title", "") or type(failure).__name__)
    message = " ".join(str(getattr(failure, "message", "") or "").split())
    if len(message) > 300:
        message = message[:297] + "..."
    got = str(status) if status is not None else "no response"
    text = f"[{identity}] {case.method.upper()} {case.path} -> {got}: {check}: {title}"
    return text + (f" ({message})" if message else "")


def _run_identity(
    base_url: str,
    identity: str,
    *,
    token: str | None,
    max_examples: int,
    seed: int,
    max_time: int | None,
    workers: int,
    request_timeout_s: float,
    coverage: bool,
    report: FuzzReport,
    seen: set[tuple[str, ...]],
) -> None:
    import schemathesis
    from schemathesis.engine import events, from_schema

    config = _config(
        base_url,
        token=token,
        max_examples=max_examples,
        seed=seed,
        max_time=max_time,
        workers=workers,
        request_timeout_s=request_timeout_s,
        coverage=coverage,
    )
    schema = schemathesis.openapi.from_url(base_url + SCHEMA_PATH, config=config)
    schema.hooks.register_hook_with_name(_sendable, "filter_case")
    stats = IdentityStats()
    operations: set[str] = set()
    started = time.monotonic()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
            recorder = event.recorder
            stats.cases += len(recorder.cases)
            phase_name = event.phase.value
            stats.phase_cases[phase_name] = stats.phase_cases.get(phase_name, 0) + len(
                recorder.cases
            )
            for case_id, node in recorder.cases.items():
                case = node.value
                operations.add(case.operation.label)
                interaction = recorder.interactions.get(case_id)
                response = interaction.response if interaction else None
                status = response.status_code if response is not None else None
                if response is not None:
                    label = case.operation.label
                    stats.response_s[label] = (
                        stats.response_s.get(label, 0.0) + response.elapsed
                    )
                for check in recorder.checks.get(case_id, []):
                    info = check.failure_info
                    if info is None:
                        continue
                    failure = info.failure
                    key = (
                        identity,
                        case.method.upper(),
                        case.path,
                        check.name,
                        str(getattr(failure, "title", "")),
                        str(status),
                    )
                    if key in seen:
                        continue
                    seen.add(key)
                    if check.name in SERVER_ERROR_CHECKS:
                        stats.five_xx += 1
                    elif check.name in SCHEMA_CHECKS:
                        stats.schema_violations += 1
                    else:
                        stats.other_failures += 1
                    report.failures.append(
                        _describe(identity, case, status, check.name, failure)
                    )
                    report.reproduce.append(info.code_sample.strip())
        elif isinstance(event, events.PhaseFinished):
            phase = event.phase
            if phase.name.value in ("examples", "coverage", "fuzzing", "stateful"):
                outcome = str(event.status.value)
                if phase.skip_reason is not None:
                    outcome = f"skipped ({phase.skip_reason.value})"
                # Under a time budget phases repeat: keep the worst outcome.
                if stats.phases.get(phase.name.value) not in ("failure", "error"):
                    stats.phases[phase.name.value] = outcome
        elif isinstance(event, events.NonFatalError):
            text = (
                f"[{identity}] error in {event.label}: {event.info.title}: "
                + (" ".join(str(event.info.message).split())[:300])
            )
            if ("error", text) not in seen:
                seen.add(("error", text))
                stats.errors += 1
                report.failures.append(text)
                report.reproduce.append("")
        elif isinstance(event, events.FatalError):
            stats.errors += 1
            report.failures.append(f"[{identity}] fatal: {event.exception!r}")
            report.reproduce.append("")
    stats.operations = len(operations)
    stats.elapsed_s = time.monotonic() - started
    report.identities[identity] = stats
    report.cases += stats.cases
    report.five_xx += stats.five_xx
    report.schema_violations += stats.schema_violations
    report.other_failures += stats.other_failures
    report.errors += stats.errors
    report.operations = max(report.operations, stats.operations)


def run_fuzz(
    base_url: str,
    *,
    token: str | None = None,
    max_examples: int = 50,
    seed: int = 0,
    time_budget_s: float | None = None,
    workers: int = 1,
    request_timeout_s: float = 60.0,
    anonymous_coverage: bool = True,
) -> FuzzReport:
    """Fuzz the dock at ``base_url`` anonymously and, with ``token``, as its user.

    ``max_examples`` bounds the fuzzing phase's cases per operation; with
    ``time_budget_s`` the engine keeps fuzzing (and running stateful sequences)
    until the budget is spent, split evenly between the identities.

    ``anonymous_coverage=False`` leaves the coverage phase (every boundary and
    invalid value of every parameter, about 2,300 cases) to the signed-in run: a
    token reaches every operation's input validation, where anonymous requests to
    protected ones stop at the 401. The CI-sized run uses it to halve its time.
    """
    base_url = base_url.rstrip("/")
    report = FuzzReport(seed=seed, max_examples=max_examples)
    identities: list[tuple[str, str | None]] = [("anonymous", None)]
    protected: int | None = None
    if token:
        protected = _token_id(base_url, token)
        if protected is not None:
            _install_token_guard()
            _protected_token_ids.add(protected)
        identities.append(("token", token))
    share = None
    if time_budget_s is not None:
        share = max(1, int(time_budget_s / len(identities)))
    seen: set[tuple[str, ...]] = set()
    started = time.monotonic()
    try:
        for identity, credential in identities:
            _run_identity(
                base_url,
                identity,
                token=credential,
                max_examples=max_examples,
                seed=seed,
                max_time=share,
                workers=workers,
                request_timeout_s=request_timeout_s,
                coverage=anonymous_coverage or credential is not None or not token,
                report=report,
                seen=seen,
            )
    finally:
        if protected is not None:
            _protected_token_ids.discard(protected)
    report.elapsed_s = time.monotonic() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the dock's base URL")
    parser.add_argument("--token", default=None, help="an API token (signed-in run)")
    parser.add_argument("--max-examples", type=int, default=None, help="default 50")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"CI-sized: {QUICK_MAX_EXAMPLES} examples per operation, coverage phase "
        "signed in only (as tests/bmw/test_fuzz.py)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--time-budget",
        type=float,
        default=None,
        help="seconds; fuzz until spent (a long run) instead of one pass",
    )
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)

    max_examples = args.max_examples or (QUICK_MAX_EXAMPLES if args.quick else 50)
    report = run_fuzz(
        args.url,
        token=args.token,
        max_examples=max_examples,
        seed=args.seed,
        time_budget_s=args.time_budget,
        workers=args.workers,
        anonymous_coverage=not args.quick,
    )
    print(
        f"schemathesis against {args.url}{SCHEMA_PATH}: seed {report.seed}, "
        f"max examples {report.max_examples}"
    )
    print(report.table())
    if report.failures:
        print(f"\n{len(report.failures)} failures:")
        print(report.describe_failures(limit=200))
    print(json.dumps(report.summary_line()))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())

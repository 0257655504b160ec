"""scripts/audit-deps: findings fail unless allow-listed (until their review date);
an audit that could not be done fails too, never a silent pass. Runs on saved
reports of pip-audit and npm audit (the live run is a step of scripts/test-all)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "audit-deps"
CLEAN_NPM = {"vulnerabilities": {}, "metadata": {"vulnerabilities": {"total": 0}}}


def _pip(*deps: dict[str, Any]) -> dict[str, Any]:
    return {"dependencies": list(deps), "fixes": []}


def _vulnerable(name: str = "django", vuln_id: str = "PYSEC-2099-1") -> dict[str, Any]:
    return {
        "name": name,
        "version": "5.2.19",
        "vulns": [
            {"id": vuln_id, "aliases": ["CVE-2099-0001"], "fix_versions": ["5.2.20"]}
        ],
    }


def _npm(severity: str) -> dict[str, Any]:
    via = {
        "source": 1234,
        "title": "Prototype pollution",
        "url": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc",
        "severity": severity,
    }
    return {
        "vulnerabilities": {
            "left-pad": {"severity": severity, "via": [via], "range": "<1.3.1"}
        },
        "metadata": {"vulnerabilities": {severity: 1, "total": 1}},
    }


def _audit(
    tmp_path: Path,
    pip: dict[str, Any],
    npm: tuple[dict[str, Any], dict[str, Any]] = (CLEAN_NPM, CLEAN_NPM),
    allowlist: str = "",
) -> subprocess.CompletedProcess[str]:
    files = {"pip.json": pip, "shipped.json": npm[0], "all.json": npm[1]}
    for name, content in files.items():
        (tmp_path / name).write_text(json.dumps(content))
    (tmp_path / "allow.toml").write_text(allowlist)
    return subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            *("--pip-audit-json", str(tmp_path / "pip.json")),
            *("--npm-audit-json", str(tmp_path / "shipped.json")),
            str(tmp_path / "all.json"),
            *("--allowlist", str(tmp_path / "allow.toml")),
            *("--today", "2027-01-15"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


ALLOW_DJANGO = """
[[ignore]]
id = "CVE-2099-0001"
ecosystem = "pypi"
package = "Django"
reason = "the admin feature it is in is not used"
review_by = {date}
"""


def test_a_clean_audit_passes(tmp_path: Path) -> None:
    result = _audit(
        tmp_path, _pip({"name": "django", "version": "5.2.19", "vulns": []})
    )

    assert result.returncode == 0, result.stderr
    assert "no known vulnerabilities" in result.stdout


def test_a_finding_fails(tmp_path: Path) -> None:
    result = _audit(tmp_path, _pip(_vulnerable()))

    assert result.returncode == 1
    assert "django 5.2.19: PYSEC-2099-1, CVE-2099-0001" in result.stderr


def test_an_allow_listed_finding_passes_until_its_review_date(tmp_path: Path) -> None:
    allowed = _audit(
        tmp_path, _pip(_vulnerable()), allowlist=ALLOW_DJANGO.format(date="2027-02-01")
    )
    expired = _audit(
        tmp_path, _pip(_vulnerable()), allowlist=ALLOW_DJANGO.format(date="2027-01-01")
    )

    assert allowed.returncode == 0, allowed.stderr
    assert "allowed until 2027-02-01" in allowed.stdout
    assert expired.returncode == 1
    assert "expired on 2027-01-01" in expired.stderr


def test_an_entry_without_a_reason_is_refused(tmp_path: Path) -> None:
    entry = ALLOW_DJANGO.format(date="2027-02-01").replace(
        'reason = "the admin feature it is in is not used"', 'reason = ""'
    )

    assert _audit(tmp_path, _pip(_vulnerable()), allowlist=entry).returncode == 1


def test_packages_that_could_not_be_looked_up_fail_the_audit(tmp_path: Path) -> None:
    skipped = {"name": "torch", "skip_reason": "Dependency not found on PyPI"}

    result = _audit(tmp_path, _pip(skipped))

    assert result.returncode == 2
    assert "could not look up 1 of 1 packages" in result.stderr


def test_an_unreachable_npm_advisory_service_fails_the_audit(tmp_path: Path) -> None:
    refused = {"message": "405 Method Not Allowed - POST …/advisories/bulk"}

    result = _audit(tmp_path, _pip(), npm=(refused, refused))

    assert result.returncode == 2
    assert "405 Method Not Allowed" in result.stderr


@pytest.mark.parametrize(
    ("shipped", "dev", "status"),
    [
        ("moderate", "moderate", 0),
        ("high", "high", 1),  # shipped code: high and above fail
        (None, "high", 0),  # dev tooling only: high passes ...
        (None, "critical", 1),  # ... critical fails
    ],
)
def test_npm_gates(tmp_path: Path, shipped: str | None, dev: str, status: int) -> None:
    npm = (_npm(shipped) if shipped else CLEAN_NPM, _npm(dev))

    result = _audit(tmp_path, _pip(), npm=npm)

    assert result.returncode == status, result.stdout + result.stderr
    if status:
        assert "npm left-pad <1.3.1: GHSA-aaaa-bbbb-cccc" in result.stderr

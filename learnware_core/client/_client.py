"""The dock's API v1 over HTTP: :class:`Client` and :class:`ClientError`."""

from __future__ import annotations

import builtins
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import requests

from learnware_core._files import default_file_mode
from learnware_core.client._credentials import load_credentials
from learnware_core.client._multipart import MultipartFile

if TYPE_CHECKING:
    from learnware_core.runtime.deployed import DeployedLearnware

__all__ = ["CHECKS_DONE", "Client", "ClientError", "UploadResult"]

# Version statuses after which checks no longer change (API v1's VersionStatusEnum).
CHECKS_DONE = frozenset({"check_failed", "awaiting_review", "approved", "rejected"})
_CHUNK = 1 << 20
StepCallback = Callable[[dict[str, Any]], object]


class ClientError(Exception):
    """The dock refused a request (or could not be reached: ``status == 0``).

    Attributes
    ----------
    status : int
        The HTTP status; 0 if no answer came.
    message : str
        The API's ``message``: what went wrong, for a person to read.
    extra : dict
        The API's ``extra``; ``extra["fields"]`` names invalid fields.
    """

    def __init__(
        self, status: int, message: str, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{message} (HTTP {status})" if status else message)
        self.status = status
        self.message = message
        self.extra = extra or {}


@dataclass(frozen=True)
class UploadResult:
    """What :meth:`Client.upload` made: the learnware and its first version.

    ``status`` is the version's status when ``upload`` returned (``queued`` unless it
    waited for the checks); ``version`` is the API's version object at that time.
    """

    learnware_id: int
    version_id: int
    status: str
    version: dict[str, Any] = field(repr=False)

    @property
    def checks_passed(self) -> bool:
        return self.status in ("awaiting_review", "approved")


class Client:
    """A signed-in session with a dock's API v1.

    Parameters
    ----------
    base_url : str, optional
        The dock, e.g. ``https://dock.example.org`` (no ``/api``). Default: the
        ``BMW_URL`` environment variable, else the URL saved by ``bmw login``.
    token : str, optional
        An API token (``bmw_...``). Default: ``BMW_TOKEN``, else the saved token.
    timeout : float, default=60
        Seconds to wait for the server to answer one request (uploads and
        downloads may take longer overall; this bounds each network read).
    """

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 60.0,
    ) -> None:
        saved = load_credentials()
        url = base_url or os.environ.get("BMW_URL") or (saved.url if saved else None)
        if not url:
            raise ValueError(
                "no dock URL: pass base_url, set BMW_URL or run 'bmw login --url URL'"
            )
        self.base_url = url.rstrip("/")
        self.token = (
            token
            or os.environ.get("BMW_TOKEN")
            or (
                saved.token
                if saved and saved.url.rstrip("/") == self.base_url
                else None
            )
        )
        self.timeout = timeout
        self.session = requests.Session()

    def __repr__(self) -> str:
        return f"Client({self.base_url!r}, token={'set' if self.token else None})"

    # ------------------------------------------------------------ plumbing
    def _url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def _request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        expect: tuple[int, ...] = (200,),
        **kwargs: Any,
    ) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        credential = token or self.token
        if credential:
            headers["Authorization"] = f"Bearer {credential}"
        kwargs.setdefault("timeout", self.timeout)
        try:
            response = self.session.request(
                method, self._url(path), headers=headers, **kwargs
            )
        except requests.RequestException as exc:
            raise ClientError(0, f"cannot reach {self.base_url}: {exc}") from exc
        if response.status_code not in expect:
            raise _error(response)
        return response

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._request(method, path, **kwargs).json()

    # ------------------------------------------------------------ account
    def login(self, token: str) -> dict[str, Any]:
        """Check ``token`` against the dock and use it from now on.

        Returns
        -------
        user : dict
            The token owner's profile (``id``, ``email``, ``display_name``, ``role``).

        Raises
        ------
        ClientError
            401 if the token is unknown, revoked or expired.
        """
        user: dict[str, Any] = self._json("GET", "/api/users/me/", token=token)
        self.token = token
        return user

    def me(self) -> dict[str, Any]:
        """The signed-in user's profile."""
        user: dict[str, Any] = self._json("GET", "/api/users/me/")
        return user

    # ------------------------------------------------------------ learnwares
    def upload(
        self,
        zip_path: str | os.PathLike[str],
        semantic_spec: Mapping[str, Any] | str | os.PathLike[str],
        *,
        wait: bool = False,
        progress: bool = True,
        timeout: float = 3600.0,
        on_step: StepCallback | None = None,
    ) -> UploadResult:
        """Upload a learnware package as a new learnware (version 1).

        Parameters
        ----------
        zip_path : path
            The learnware zip (``bmw pack`` makes one; ``bmw check`` checks it).
        semantic_spec : dict or path
            The semantic specification (original layout), or a JSON file with it.
        wait : bool, default=False
            Wait until the dock's checks finish (see :meth:`wait_for_checks`).
        progress : bool, default=True
            Show progress bars on stderr (upload bytes; check steps).
        timeout : float, default=3600
            With ``wait``: seconds to wait for the checks.
        on_step : callable, optional
            With ``wait``: called with each check step as it finishes.

        Returns
        -------
        UploadResult
            ``learnware_id``, ``version_id`` and the version's ``status``.
        """
        path = Path(zip_path)
        spec = _semantic_spec(semantic_spec)
        with _bar(path.stat().st_size, f"Uploading {path.name}", progress) as bar:
            body = MultipartFile(
                {"semantic_spec": json.dumps(spec)}, "package", path, on_read=bar
            )
            created = self._json(
                "POST",
                "/api/learnwares/",
                data=body,
                headers={"Content-Type": body.content_type},
                expect=(201,),
            )
        version: dict[str, Any] = created["version"]
        if wait:
            version = self.wait_for_checks(
                version["id"], timeout=timeout, progress=progress, on_step=on_step
            )
        return UploadResult(
            learnware_id=int(created["id"]),
            version_id=int(version["id"]),
            status=str(version["status"]),
            version=version,
        )

    def status(self, version_id: int) -> dict[str, Any]:
        """A version with its status and ``check_steps`` (as far as they ran)."""
        version: dict[str, Any] = self._json("GET", f"/api/versions/{version_id}/")
        return version

    def wait_for_checks(
        self,
        version_id: int,
        timeout: float = 3600.0,
        *,
        poll_interval: float = 1.0,
        progress: bool = True,
        on_step: StepCallback | None = None,
    ) -> dict[str, Any]:
        """Poll a version until its checks are done; return the final version.

        A progress bar (stderr) shows the step that runs; ``on_step`` is called
        once per step as it finishes (``passed``, ``failed`` or ``skipped``).

        Raises
        ------
        TimeoutError
            If the checks are not done after ``timeout`` seconds.
        """
        from learnware_core.checks import CHECK_STEPS, CheckStatus

        done = {CheckStatus.PASSED, CheckStatus.FAILED, CheckStatus.SKIPPED}
        deadline = time.monotonic() + timeout
        reported: set[int] = set()
        with _bar(len(CHECK_STEPS), "Checking", progress, unit="step") as bar:
            while True:
                version = self.status(version_id)
                for step in version.get("check_steps", []):
                    if step["status"] in done and step["position"] not in reported:
                        reported.add(step["position"])
                        bar(1)
                        if on_step is not None:
                            on_step(step)
                    elif step["status"] == CheckStatus.RUNNING:
                        bar.describe(f"Checking: {step['name']}")
                if version["status"] in CHECKS_DONE:
                    return version
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"version {version_id}: checks not done after {timeout:g}s "
                        f"(status {version['status']})"
                    )
                time.sleep(poll_interval)

    def list(self, *, mine: bool = True) -> builtins.list[dict[str, Any]]:
        """Learnwares, newest first: your own in every status (``mine``), or all
        approved ones."""
        path = "/api/learnwares/mine/" if mine else "/api/learnwares/"
        out: builtins.list[dict[str, Any]] = []
        page = 1
        while True:
            body = self._json("GET", path, params={"page": page, "page_size": 100})
            out.extend(body["results"])
            if not body.get("next"):
                return out
            page += 1

    def versions(self, learnware_id: int) -> builtins.list[dict[str, Any]]:
        """A learnware's versions you may see, newest first."""
        versions: builtins.list[dict[str, Any]] = self._json(
            "GET", f"/api/learnwares/{learnware_id}/versions/"
        )
        return versions

    def get(self, learnware_id: int) -> dict[str, Any]:
        """One learnware (with its live version)."""
        learnware: dict[str, Any] = self._json(
            "GET", f"/api/learnwares/{learnware_id}/"
        )
        return learnware

    def update(
        self,
        learnware_id: int,
        semantic_spec: Mapping[str, Any] | str | os.PathLike[str],
    ) -> dict[str, Any]:
        """Edit a learnware's semantic specification.

        Every change a user can see (name, description, tags, Data, Task, Input,
        Output) makes a new version that is checked and reviewed like an upload;
        until a reviewer approves it the learnware keeps showing its approved spec.
        Returns that new version (the learnware itself if nothing changed).
        """
        result: dict[str, Any] = self._json(
            "PATCH",
            f"/api/learnwares/{learnware_id}/",
            json={"semantic_spec": _semantic_spec(semantic_spec)},
            expect=(200, 202),
        )
        return result

    def review(
        self, version_id: int, *, approve: bool, reason: str = ""
    ) -> dict[str, Any]:
        """Approve or reject a checked version (a reviewer's or admin's token).

        Returns the version as the dock answers it; a rejection needs a ``reason``.
        """
        body = {"decision": "approve" if approve else "reject", "reason": reason}
        version: dict[str, Any] = self._json(
            "POST", f"/api/versions/{version_id}/review/", json=body
        )
        return version

    def delete(self, learnware_id: int) -> None:
        """Delete one of your learnwares (hidden everywhere)."""
        self._request("DELETE", f"/api/learnwares/{learnware_id}/", expect=(204,))

    def download(
        self,
        learnware_id: int,
        dest: str | os.PathLike[str] = ".",
        *,
        progress: bool = True,
    ) -> Path:
        """Download a learnware's package to ``dest`` (a file, or a folder to put it
        in under the server's file name); return the path written.

        The file is streamed to a temporary name and renamed only once its size
        matches the server's ``Content-Length``.
        """
        response = self._request(
            "GET", f"/api/learnwares/{learnware_id}/download/", stream=True
        )
        with response:
            target = Path(dest)
            if target.is_dir():
                target = target / _filename(response, f"learnware-{learnware_id}.zip")
            expected = int(response.headers.get("Content-Length", -1))
            _stream_to(response, target, expected, progress)
        return target

    def load(
        self,
        ids: int | Sequence[int],
        *,
        dest: str | os.PathLike[str] | None = None,
        allow_unsandboxed: bool = False,
        cache_dir: str | os.PathLike[str] | None = None,
        progress: bool = True,
    ) -> builtins.list[DeployedLearnware]:
        """Download, extract and start learnwares to run on this machine.

        Each package is kept in ``dest/<id>-<sha256 prefix>/`` (downloaded once per
        version) and its environment in the environment cache, so loading a
        learnware again only starts its worker.

        Parameters
        ----------
        ids : int or sequence of int
            Learnware ids.
        dest : path, optional
            Where extracted packages are kept; default
            ``default_cache_dir() / "learnwares"`` (``~/.cache/bmw/learnwares``).
        allow_unsandboxed : bool, default=False
            The models run in the bubblewrap sandbox (no network, read-only
            system, limits); without bubblewrap, loading fails saying how to
            install it. Pass True to run them **without isolation** where
            bubblewrap is unusable (a ``RuntimeWarning`` says so): the
            learnware's code can then read and change everything you can.
        cache_dir : path, optional
            Environment cache (default :func:`default_cache_dir`).
        progress : bool, default=True
            Download progress bars on stderr.

        Returns
        -------
        learnwares : list of DeployedLearnware
            Started, in the order of ``ids``; close them (or use ``with``). Each
            predicts, and adapts to your labelled rows with
            ``lw.finetune(X, y)``; ``lw.save_finetuned("new.zip")`` then writes
            the adapted learnware as a package you may upload.

        Raises
        ------
        SandboxUnavailableError
            If bubblewrap is unusable and ``allow_unsandboxed`` is False.
        """
        from learnware_core.runtime.deployed import (
            DeployedLearnware,
            default_cache_dir,
        )
        from learnware_core.runtime.errors import SandboxUnavailableError

        wanted = [ids] if isinstance(ids, int) else builtins.list(ids)
        store = Path(dest) if dest is not None else default_cache_dir() / "learnwares"
        loaded: builtins.list[DeployedLearnware] = []
        try:
            for learnware_id in wanted:
                folder = self._package_dir(learnware_id, store, progress)
                loaded.append(
                    DeployedLearnware(
                        folder,
                        cache_dir=cache_dir,
                        allow_unsandboxed=allow_unsandboxed,
                        name=f"learnware {learnware_id}",
                    )
                )
        except SandboxUnavailableError as exc:
            for learnware in loaded:
                learnware.close()
            raise SandboxUnavailableError(
                f"{exc}, or pass allow_unsandboxed=True to run the learnware's "
                "code on this machine without isolation"
            ) from None
        except BaseException:
            for learnware in loaded:
                learnware.close()
            raise
        return loaded

    def _package_dir(self, learnware_id: int, store: Path, progress: bool) -> Path:
        """The extracted package of the version the dock serves, downloaded once."""
        from learnware_core.package import extract_package

        live = self.get(learnware_id).get("live_version")
        version = live or next(iter(self.versions(learnware_id)), None)
        sha = str(version["package_sha256"]) if version else ""
        folder = store / f"{learnware_id}-{sha[:16] or 'unknown'}"
        if sha and (folder / "learnware.yaml").is_file():
            return folder
        store.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{learnware_id}-", dir=store))
        try:
            archive = self.download(
                learnware_id, work / "package.zip", progress=progress
            )
            got = hashlib.sha256(archive.read_bytes()).hexdigest()
            if sha and got != sha:
                raise ClientError(
                    0, f"learnware {learnware_id}: package sha256 mismatch"
                )
            folder = store / f"{learnware_id}-{got[:16]}"
            if (folder / "learnware.yaml").is_file():
                return folder
            extract_package(archive, work / "package")
            shutil.rmtree(folder, ignore_errors=True)  # a partial earlier copy
            os.replace(work / "package", folder)  # atomic: complete or absent
            return folder
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def search(
        self,
        *,
        stat_spec: Any = None,
        query: str = "",
        data_type: str = "",
        task_type: str = "",
        library_type: str = "",
        license: str = "",
        scenarios: Sequence[str] = (),
        top_k: int = 10,
        input_descriptions: Mapping[str, str] | None = None,
        hetero: bool = False,
        output_descriptions: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """Search approved learnwares by tags, text and your statistical spec.

        Build the spec on your machine from your data — e.g.
        ``RKMETableSpecification().fit(X)`` or ``bmw spec table data.csv`` (which
        fits on standardised columns and keeps your units) — and pass it (a
        fitted spec, its dict, or a ``stat.json`` path): only the reduced set is
        sent, never your data. Docks with island search compare specifications
        under their own kernel, whatever ``gamma`` yours was fitted with.

        ``input_descriptions`` (``{"0": "age in years", ...}``, one per column of
        your table) locate the learnwares whose columns mean the same (in other
        words or order too), and let the dock search the specification world when
        no learnware has your columns (``hetero=True``: even if some has); the
        answer then says ``"heterogeneous": true`` and names the
        ``engine_version``. ``output_descriptions`` (``{"0": "delay in
        minutes"}``, one per label for classes) say what you predict: learnwares
        predicting something else are not offered (docks that do not know it
        ignore it).

        Returns
        -------
        result : dict
            ``{"count", "results": [{"learnware", "score", "mmd2", "text_score",
            "confidence", "reason", "missing_columns"}], "multiple":
            {"learnwares", "weights", "mmd2", "score", "reason", "confidence"} or
            None, "heterogeneous", "engine_version", "no_match", "reason"}`` (best
            first; ``multiple`` is a proposed weighted combination).

            * ``no_match`` (bool): nothing found is a trustworthy answer;
              ``reason`` says why (the results are then weak or empty).
            * ``reason`` (str or None): why there is no good match, or why the
              results may be weak (e.g. undescribed columns).
            * ``confidence`` of a result (float in [0, 1] or None): the estimated
              probability that the learnware was built on data like yours
              (calibrated, ``docs/search-trust.md``); of ``multiple``: the
              members' confidences averaged by weight.
            * ``reason`` of a result (str or None): why it may be weak;
              ``missing_columns`` (list of int): the learnware's columns (0-based)
              your data cannot feed.

            Docks without island search send none of ``no_match``, ``reason``,
            ``confidence`` and ``missing_columns``: read them with ``.get``.
        """
        fields: list[tuple[str, str]] = [
            (key, value)
            for key, value in (
                ("query", query),
                ("data_type", data_type),
                ("task_type", task_type),
                ("library_type", library_type),
                ("license", license),
                ("top_k", str(top_k)),
            )
            if value
        ]
        fields += [("scenarios", s) for s in scenarios]
        if input_descriptions is not None:
            described = {str(k): str(v) for k, v in input_descriptions.items()}
            width = max((int(k) + 1 for k in described if k.isdigit()), default=0)
            spec = {"Dimension": width, "Description": described}
            fields.append(("input", json.dumps(spec)))
        if output_descriptions is not None:
            told = {str(k): str(v) for k, v in output_descriptions.items()}
            width = max((int(k) + 1 for k in told if k.isdigit()), default=0)
            output = {"Dimension": width, "Description": told}
            fields.append(("output", json.dumps(output)))
        if hetero:
            fields.append(("hetero", "true"))
        files = None
        if stat_spec is not None:
            files = {
                "stat_spec": ("stat.json", _stat_json(stat_spec), "application/json")
            }
        result: dict[str, Any] = self._json(
            "POST", "/api/learnwares/search/", data=fields, files=files
        )
        return result

    def world_engine(self, version: str | None = None) -> Any:
        """The dock's specification-world engine (the active one by default), to
        carry your rows into a learnware's feature space after a heterogeneous
        search: ``WorldAlignReuser(learnware, engine, user_columns=..., ...)``.

        Returns
        -------
        engine : learnware_core.specworld.WorldEngine
        """
        from learnware_core.specworld import WorldEngine

        params = {"version": version} if version else None
        response = self._request("GET", "/api/world/engine/", params=params)
        return WorldEngine.from_bytes(response.content)

    def semantic_vocabularies(self) -> dict[str, Any]:
        """The values a semantic specification may use, as the dock serves them.

        Keys: ``data_types``, ``task_types``, ``library_types``, ``scenarios``,
        ``licenses``, ``model_types``, ``tasks_by_data`` (tasks allowed per data
        type), ``name_length`` and ``description_length`` (``[min, max]``).
        """
        vocabularies: dict[str, Any] = self._json("GET", "/api/semantic-vocabulary/")
        return vocabularies


# ------------------------------------------------------------ helpers
def _error(response: requests.Response) -> ClientError:
    """The API's ``{message, extra}`` (or whatever came) as a :class:`ClientError`."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        extra = body.get("extra")
        return ClientError(
            response.status_code,
            body["message"],
            extra if isinstance(extra, dict) else {},
        )
    text = " ".join(response.text.split())[:200] or response.reason
    return ClientError(response.status_code, text)


def _semantic_spec(
    spec: Mapping[str, Any] | str | os.PathLike[str],
) -> dict[str, Any]:
    if isinstance(spec, Mapping):
        return dict(spec)
    try:
        data = json.loads(Path(spec).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{spec}: not a JSON semantic specification ({exc})") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{spec}: the semantic specification must be a JSON object")
    return data


def _stat_json(spec: Any) -> bytes:
    """A fitted spec, its dict, or a path to its JSON file, as JSON bytes."""
    if hasattr(spec, "to_dict"):
        spec = spec.to_dict()
    if isinstance(spec, Mapping):
        return json.dumps(spec).encode()
    return Path(spec).read_bytes()


def _filename(response: requests.Response, default: str) -> str:
    match = re.search(
        r'filename="?([^";]+)"?', response.headers.get("Content-Disposition", "")
    )
    name = Path(match.group(1)).name if match else ""
    return name if name and name not in (".", "..") else default


def _stream_to(
    response: requests.Response, target: Path, expected: int, progress: bool
) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    written = 0
    try:
        total = expected if expected >= 0 else None
        with os.fdopen(fd, "wb") as fh, _bar(total, target.name, progress) as bar:
            for chunk in response.iter_content(chunk_size=_CHUNK):
                fh.write(chunk)
                written += len(chunk)
                bar(len(chunk))
        if expected >= 0 and written != expected:
            raise ClientError(
                response.status_code,
                f"download incomplete: got {written} of {expected} bytes",
            )
        os.chmod(tmp, default_file_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _Bar:
    """A tqdm bar on stderr, or nothing; call it with an increment."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar

    def __call__(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def describe(self, text: str) -> None:
        if self._bar is not None:
            self._bar.set_description_str(text)


@contextmanager
def _bar(
    total: int | None, desc: str, enabled: bool, *, unit: str = "B"
) -> Iterator[_Bar]:
    if not enabled:
        yield _Bar(None)
        return
    from tqdm import tqdm

    stream: TextIO = sys.stderr
    scale = unit == "B"
    with tqdm(
        total=total,
        desc=desc,
        unit=unit,
        unit_scale=scale,
        unit_divisor=1024 if scale else 1000,
        leave=False,
        file=stream,
    ) as bar:
        yield _Bar(bar)

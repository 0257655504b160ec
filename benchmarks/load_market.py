"""The load test's market: 10,000 approved table learnwares written in bulk.

Used by :mod:`benchmarks.load`, which runs this module in a subprocess on the
database it builds (``python -m benchmarks.load_market seed|users ...``).

Building 10,000 learnwares through uploads, sandboxed checks and reviews would take
hours, so the rows and files are written directly through the dock's models and
storage, as they would be after approval:

* five table *feature spaces* (retail, credit, health, energy, traffic; 6 to 20
  columns, each column described), 2,000 learnwares each at the full size; in each
  space 40 *tasks*, each a mixture of three Gaussians; a learnware sees its task
  shifted by a small offset of its own;
* every learnware has its **own RKME** (``RKMETableSpecification`` of the library,
  K = 100 points, gamma = 0.1, the client's default) in its own stored
  ``stat.json``, read by the search worker's index like any approved one. The
  specs are K draws of the learnware's distribution with uniform weights (a valid
  RKME, as in ``benchmarks._markets``): fitting costs 35-115 ms per spec on this
  machine (d = 8 to 32), ~10 minutes for 10,000;
* real package zips (``write_pickled_package``: a scikit-learn model trained on the
  space's data, its stat.json, requirements, the semantic spec; inspected as an
  upload is): four per space (Ridge / random forest x regression / classification,
  5 KB to ~1 MB), shared by content between the space's learnwares;
* distinct names and descriptions (target, model, region, year, features, data
  source) and tags (task, library, scenarios, license), so text search ranks
  something like a real market, with their MiniLM text vectors stored as the
  search worker would (it would otherwise embed 10,000 texts at start-up);
* the learnware rows, their approved version 1 (reviewed by a reviewer) and the
  live-version link in three bulk statements.

Users' specifications (:func:`user_specs`) are **fitted** by the library on rows of
one or two tasks of a space, as the client does on the user's machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from benchmarks.load import SEED_VERSION

K = 100  # RKME points per learnware (the library's default n_points)
GAMMA = 0.1  # the library's default gamma, which users' specs share
TASKS_PER_SPACE = 40
OWNERS = 25  # developer accounts owning the learnwares
USER_EMAIL = "load-user-{:04d}@load.example.org"
WARMUP_EMAIL = "load-warmup@load.example.org"

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Space:
    """A table feature space: its columns and what its learnwares predict."""

    key: str
    scenario: str
    columns: tuple[str, ...]
    targets: tuple[str, ...]
    entities: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def d(self) -> int:
        return len(self.columns)


SPACES: tuple[Space, ...] = (
    Space(
        "retail",
        "Business",
        (
            "store floor area (m2)",
            "weekly footfall",
            "promotion depth (%)",
            "relative price index",
            "public holiday flag",
            "distance to nearest competitor (km)",
            "mean temperature (C)",
            "regional fuel price",
        ),
        ("store demand", "basket size", "weekly sales", "promo uplift", "churn"),
        ("supermarkets", "convenience stores", "online shops", "pharmacies"),
        ("point-of-sale logs", "loyalty-card records", "a retail panel"),
    ),
    Space(
        "credit",
        "Financial",
        (
            "age of applicant (years)",
            "annual income",
            "debt-to-income ratio",
            "number of open credit lines",
            "months since last delinquency",
            "revolving utilisation (%)",
            "loan amount requested",
            "loan term (months)",
            "years at current employer",
            "home ownership code",
            "number of recent inquiries",
            "credit history length (years)",
        ),
        ("default risk", "credit limit", "loan approval", "fraud score", "arrears"),
        ("retail banks", "credit unions", "card issuers", "microlenders"),
        ("loan book snapshots", "bureau extracts", "application forms"),
    ),
    Space(
        "health",
        "Health",
        (
            "patient age",
            "body-mass index",
            "systolic blood pressure",
            "diastolic blood pressure",
            "fasting glucose",
            "HbA1c (%)",
            "serum creatinine",
            "heart rate",
            "number of prior admissions",
            "length of last stay (days)",
            "count of medications",
            "cholesterol (LDL)",
            "white blood cell count",
            "haemoglobin",
            "smoker flag",
            "days since discharge",
        ),
        (
            "readmission risk",
            "length of stay",
            "diabetes onset",
            "blood pressure",
            "sepsis alert",
        ),
        ("hospitals", "clinics", "care homes", "outpatient wards"),
        ("electronic health records", "a cohort study", "ward audits"),
    ),
    Space(
        "energy",
        "Industry",
        (
            "hour of day",
            "day of week",
            "outdoor temperature",
            "relative humidity",
            "wind speed",
            "solar irradiance",
            "cloud cover",
            "previous hour load",
            "previous day load",
            "holiday flag",
            "industrial index",
            "electricity price",
            "turbine rpm",
            "boiler pressure",
            "feed-water temperature",
            "steam flow",
            "panel temperature",
            "inverter efficiency",
            "grid frequency",
            "reactive power",
        ),
        ("hourly load", "solar output", "wind power", "boiler efficiency", "demand"),
        ("substations", "wind farms", "solar parks", "district heating plants"),
        ("SCADA telemetry", "smart-meter readings", "plant historians"),
    ),
    Space(
        "traffic",
        "Traffic",
        (
            "hour of day",
            "day of week",
            "precipitation (mm)",
            "visibility (km)",
            "scheduled departures",
            "incident count",
        ),
        (
            "flight delay",
            "taxi demand",
            "road congestion",
            "bike rentals",
            "bus arrival delay",
        ),
        ("airports", "city districts", "ring roads", "bike-share docks"),
        ("operator timetables", "loop detectors", "GPS traces"),
    ),
)
REGIONS = (
    "Hangzhou",
    "Shanghai",
    "Beijing",
    "Nanjing",
    "Shenzhen",
    "Chengdu",
    "Wuhan",
    "Xi'an",
    "Suzhou",
    "Tianjin",
    "Chongqing",
    "Qingdao",
    "Xiamen",
    "Harbin",
    "Kunming",
    "Ohio",
    "Texas",
    "Bavaria",
    "Lombardy",
    "Ontario",
    "Quebec",
    "Kansai",
    "Kanto",
    "Gyeonggi",
    "Catalonia",
    "Andalusia",
    "Provence",
    "Flanders",
    "Wales",
    "Scotland",
    "Victoria",
    "Queensland",
    "Alberta",
    "Oregon",
    "Nevada",
    "Bogota",
    "Lima",
    "Santiago",
    "Nairobi",
    "Lagos",
    "Cairo",
    "Istanbul",
    "Ankara",
    "Tehran",
    "Karachi",
    "Delhi",
    "Mumbai",
    "Chennai",
    "Dhaka",
    "Hanoi",
    "Manila",
    "Jakarta",
    "Bangkok",
    "Singapore",
    "Auckland",
    "Dublin",
    "Oslo",
    "Helsinki",
    "Warsaw",
    "Prague",
)
MODELS = {  # model word in the name, the package kind it ships
    "Regression": ("regressor", "forecaster", "estimator", "predictor"),
    "Classification": ("classifier", "detector", "scorer", "screener"),
}
METHODS = (
    "ridge regression on standardised features",
    "a random forest of 30 trees",
    "gradient boosting with early stopping",
    "a small multilayer perceptron",
    "LightGBM with monotone constraints",
    "logistic regression with balanced class weights",
)
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "CC-BY-4.0", "GPL-3.0", "Others")
LIBRARIES = ("Scikit-learn",) * 6 + ("PyTorch", "Others")
EXTRA_SCENARIOS = ("Business", "Internet", "Nature", "Education", "Others")


# ------------------------------------------------------------------ the numbers


class MarketPlan:
    """Deterministic structure of a market of ``n`` learnwares (no Django)."""

    def __init__(self, n: int, seed: int = 0) -> None:
        self.n = n
        rng = np.random.default_rng(seed)
        self.centres: list[FloatArray] = []
        self.scales: list[float] = []
        for space in SPACES:
            # Within-task distances ~ 1/gamma: the kernel sees the structure.
            scale = float(np.sqrt(1.0 / (2.0 * GAMMA * space.d)))
            task = rng.normal(scale=2.5 * scale, size=(TASKS_PER_SPACE, 1, space.d))
            spread = rng.normal(scale=1.2 * scale, size=(TASKS_PER_SPACE, 3, space.d))
            self.centres.append(task + spread)
            self.scales.append(scale)

    def space_of(self, i: int) -> int:
        return i % len(SPACES)

    def task_of(self, i: int) -> int:
        return (i // len(SPACES)) % TASKS_PER_SPACE

    def task_type(self, i: int) -> str:
        return "Classification" if self.task_of(i) % 2 else "Regression"

    def points(
        self, space: int, weights: dict[int, float], n: int, rng: np.random.Generator
    ) -> FloatArray:
        """``n`` rows of a mixture of ``space``'s tasks (``{task: weight}``)."""
        tasks = np.array(list(weights))
        w = np.array(list(weights.values()), dtype=float)
        t = tasks[rng.choice(tasks.size, size=n, p=w / w.sum())]
        comp = rng.integers(3, size=n)
        scale = self.scales[space]
        noise = rng.normal(scale=scale, size=(n, SPACES[space].d))
        out: FloatArray = self.centres[space][t, comp] + noise
        return out

    def learnware_spec(self, i: int) -> dict[str, Any]:
        """Learnware ``i``'s RKME as stored (``to_dict`` of the library's spec)."""
        from learnware_core.specification.rkme import RKMETableSpecification

        rng = np.random.default_rng((SEED_VERSION, i))
        space = self.space_of(i)
        offset = rng.normal(scale=0.3 * self.scales[space], size=SPACES[space].d)
        z = self.points(space, {self.task_of(i): 1.0}, K, rng) + offset
        spec = RKMETableSpecification.from_dict(
            {
                "type": "RKMETableSpecification",
                "z": z.tolist(),
                "beta": [1.0 / K] * K,
                "gamma": GAMMA,
                "num_points": 2000 + int(rng.integers(0, 50_000)),
            }
        )
        out: dict[str, Any] = spec.to_dict()
        return out

    def semantic(self, i: int) -> dict[str, Any]:
        """Learnware ``i``'s semantic spec: distinct name and description, tags."""
        rng = np.random.default_rng((SEED_VERSION, i, 1))
        space = SPACES[self.space_of(i)]
        task = self.task_type(i)

        def pick(options: Sequence[str]) -> str:
            return str(options[int(rng.integers(len(options)))])

        target, region = pick(space.targets), pick(REGIONS)
        year = int(rng.integers(2015, 2025))
        model = pick(MODELS[task])
        entity, source, method = (
            pick(space.entities),
            pick(space.sources),
            pick(METHODS),
        )
        name = f"{target.capitalize()} {model}, {region} {year}"  # <= 45 chars
        features = ", ".join(space.columns[: 2 + int(rng.integers(3))])
        rows = int(rng.integers(2, 400)) * 250
        description = (
            f"Predicts {target} for {entity} in {region} from {space.d} features "
            f"such as {features}. Trained on {rows:,} rows of {source} from {year} "
            f"with {method}; task group {self.task_of(i)} of the {space.key} space."
        )
        outputs = (
            {"0": f"no {target}", "1": target}  # classes; the model answers 0 or 1
            if task == "Classification"
            else {"0": target}
        )
        scenarios = [space.scenario]
        if rng.random() < 0.3:
            extra = pick(EXTRA_SCENARIOS)
            if extra != space.scenario:
                scenarios.append(extra)
        return {
            "Data": {"Type": "Class", "Values": ["Table"]},
            "Task": {"Type": "Class", "Values": [task]},
            "Library": {"Type": "Class", "Values": [pick(LIBRARIES)]},
            "Scenario": {"Type": "Tag", "Values": scenarios},
            "License": {"Type": "Class", "Values": [pick(LICENSES)]},
            "Name": {"Type": "String", "Values": name},
            "Description": {"Type": "String", "Values": description},
            "Input": {
                "Dimension": space.d,
                "Description": {str(c): col for c, col in enumerate(space.columns)},
            },
            "Output": {"Dimension": len(outputs), "Description": outputs},
        }


def user_specs(plan: MarketPlan, per_space: int, out_dir: Path) -> list[dict[str, Any]]:
    """Users' stat.json files, fitted by the library on 400-800 rows of one task
    (or a mix of two) of each space. Returns ``[{space, path}]``."""
    from learnware_core.specification.rkme import RKMETableSpecification

    out_dir.mkdir(parents=True, exist_ok=True)
    found = []
    for s, space in enumerate(SPACES):
        for k in range(per_space):
            path = out_dir / f"user-{space.key}-{k}.json"
            if not path.is_file():
                rng = np.random.default_rng((SEED_VERSION, 99, s, k))
                tasks = rng.choice(TASKS_PER_SPACE, size=1 + k % 2, replace=False)
                X = plan.points(
                    s, {int(t): 1.0 for t in tasks}, int(rng.integers(400, 800)), rng
                )
                spec = RKMETableSpecification(gamma=GAMMA, random_state=k).fit(X)
                path.write_text(json.dumps(spec.to_dict()), encoding="utf-8")
            found.append({"space": space.key, "path": str(path)})
    return found


# ------------------------------------------------------------------ Django side


def _packages(plan: MarketPlan, build_dir: Path) -> dict[tuple[int, str], list[Any]]:
    """Four real zips per space, stored once; ``{(space, task): [version fields]}``."""
    from django.core.files import File
    from django.core.files.storage import default_storage
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.linear_model import LogisticRegression, Ridge

    from bmw.storage import file_digests
    from learnware_core.package.pickled import write_pickled_package
    from learnware_core.specification.rkme import RKMETableSpecification
    from learnware_core.specification.semantic import SemanticSpec

    out: dict[tuple[int, str], list[Any]] = {}
    for s, space in enumerate(SPACES):
        rng = np.random.default_rng((SEED_VERSION, 7, s))
        X = plan.points(s, {t: 1.0 for t in range(TASKS_PER_SPACE)}, 1500, rng)
        y_reg = X @ rng.normal(size=space.d) + rng.normal(scale=0.1, size=len(X))
        y_cls = (y_reg > np.median(y_reg)).astype(int)
        stat = RKMETableSpecification(gamma=GAMMA, random_state=s).fit(X[:500])
        for task, models in (
            ("Regression", (Ridge(), RandomForestRegressor(30, max_depth=9))),
            (
                "Classification",
                (LogisticRegression(), RandomForestClassifier(30, max_depth=9)),
            ),
        ):
            # Learnware s is of space s and task 0 (regression), s + 5 of task 1.
            sem = plan.semantic(s + (len(SPACES) if task == "Classification" else 0))
            for model in models:
                model.fit(X, y_cls if task == "Classification" else y_reg)
                kind = type(model).__name__
                path = build_dir / f"{space.key}-{kind}.zip"
                write_pickled_package(
                    path,
                    model=model,
                    semantic=SemanticSpec.from_dict(sem),
                    stat_spec=stat,
                    output_dimension=1,
                )
                with path.open("rb") as fh:
                    sha256, md5, size = file_digests(fh)
                    name = default_storage.save(f"packages/load/{sha256}.zip", File(fh))
                out.setdefault((s, task), []).append((name, sha256, md5, size))
    return out


def seed(n: int, *, batch: int = 1000, progress: bool = True) -> dict[str, Any]:
    """Write the market of ``n`` learnwares into the (migrated, empty) database and
    the default storage. Returns counts and timings."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from learnware_core.search.semantic import embed_learnware_text
    from learnware_core.specification.semantic import SemanticSpec
    from market.models import Learnware, LearnwareVersion

    def say(message: str) -> None:
        if progress:
            print(f"  seed: {message}", file=sys.stderr, flush=True)

    timings: dict[str, float] = {}
    started = time.perf_counter()
    plan = MarketPlan(n)
    now = timezone.now()
    reviewer = User(
        email="load-reviewer@load.example.org",
        role=User.Role.REVIEWER,
        email_verified_at=now,
    )
    owners = [
        User(
            email=f"load-dev-{k:02d}@load.example.org",
            display_name=f"Load developer {k}",
            email_verified_at=now,
        )
        for k in range(OWNERS)
    ]
    for user in (reviewer, *owners):
        user.set_unusable_password()
    User.objects.bulk_create([reviewer, *owners])
    owners = list(User.objects.filter(email__startswith="load-dev-").order_by("id"))
    reviewer = User.objects.get(email="load-reviewer@load.example.org")

    with tempfile.TemporaryDirectory(prefix="bmw-load-packages-") as tmp:
        packages = _packages(plan, Path(tmp))
    timings["packages_s"] = time.perf_counter() - started
    say(f"{sum(map(len, packages.values()))} packages")

    t = time.perf_counter()
    semantics, names, taken = [], [], set()
    for i in range(n):
        sem = plan.semantic(i)
        name, copy = sem["Name"]["Values"], 1
        while name in taken:  # distinct names: "... #2"
            copy += 1
            name = f"{sem['Name']['Values']} #{copy}"
        taken.add(name)
        sem["Name"]["Values"] = name
        semantics.append(SemanticSpec.from_dict(sem).to_dict())
        names.append(name)
    vectors = embed_learnware_text(
        names, [s["Description"]["Values"] for s in semantics]
    )
    timings["text_vectors_s"] = time.perf_counter() - t
    say(f"{n} semantic specs and text vectors ({timings['text_vectors_s']:.0f} s)")

    t = time.perf_counter()
    for start in range(0, n, batch):
        stop = min(n, start + batch)
        rows, spec_files = [], []
        for i in range(start, stop):
            sem = semantics[i]
            raw = json.dumps(plan.learnware_spec(i)).encode()
            digest = hashlib.sha256(raw).hexdigest()
            spec_files.append(
                default_storage.save(
                    f"stat-specs/load/{digest[:2]}/{digest}.json", ContentFile(raw)
                )
            )
            rows.append(
                Learnware(
                    owner=owners[i % len(owners)],
                    name=names[i],
                    semantic_spec=sem,
                    data_type="Table",
                    task_type=sem["Task"]["Values"][0],
                    library_type=sem["Library"]["Values"][0],
                    license=sem["License"]["Values"][0],
                    scenarios=sem["Scenario"]["Values"],
                    downloads=int(np.random.default_rng(i).zipf(1.6)) % 5000,
                    text_embedding=vectors[i].tobytes(),
                )
            )
        with transaction.atomic():
            created = Learnware.objects.bulk_create(rows)
            versions = []
            for offset, lw in enumerate(created):
                i = start + offset
                choices = packages[(plan.space_of(i), plan.task_type(i))]
                name, sha256, md5, size = choices[i % len(choices)]
                versions.append(
                    LearnwareVersion(
                        learnware=lw,
                        number=1,
                        uploaded_by=lw.owner,
                        package=name,
                        package_size=size,
                        package_sha256=sha256,
                        package_md5=md5,
                        semantic_spec=lw.semantic_spec,
                        stat_spec_type="RKMETableSpecification",
                        stat_spec_file=spec_files[offset],
                        input_dimension=SPACES[plan.space_of(i)].d,
                        status=LearnwareVersion.Status.APPROVED,
                        checked_at=now,
                        reviewed_by=reviewer,
                        reviewed_at=now,
                    )
                )
            LearnwareVersion.objects.bulk_create(versions)
        say(f"{stop}/{n} learnwares")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE market_learnware AS l SET live_version_id = v.id "
            "FROM market_learnwareversion AS v WHERE v.learnware_id = l.id"
        )
        cursor.execute("ANALYZE")
    timings["rows_and_specs_s"] = time.perf_counter() - t
    timings["total_s"] = time.perf_counter() - started
    live = Learnware.objects.filter(live_version__isnull=False).count()
    say(f"{live} learnwares listed in {timings['total_s']:.0f} s")
    return {"learnwares": live, **{k: round(v, 1) for k, v in timings.items()}}


def users(count: int, specs_dir: Path) -> dict[str, Any]:
    """``count`` signed-in users for the simulated sessions (+ one for warm-up and
    fuzzing), each with an API token, and what they look for. Returns
    ``{"tokens": [...], "warmup": token, "ids": listed learnwares, "specs": [...]}``.
    """
    from django.utils import timezone

    from accounts.models import User
    from accounts.services import api_token_create
    from market.models import Learnware

    now = timezone.now()
    emails = [USER_EMAIL.format(k) for k in range(count)] + [WARMUP_EMAIL]
    existing = set(
        User.objects.filter(email__in=emails).values_list("email", flat=True)
    )
    fresh = [
        User(email=e, display_name=e.split("@")[0], email_verified_at=now)
        for e in emails
        if e not in existing
    ]
    for user in fresh:
        user.set_unusable_password()
    User.objects.bulk_create(fresh)
    by_email = {u.email: u for u in User.objects.filter(email__in=emails)}
    stamp = f"load {time.time_ns()}"
    tokens = [api_token_create(user=by_email[e], name=stamp).token for e in emails]
    listed = Learnware.objects.filter(live_version__isnull=False, deleted_at=None)
    ids = sorted(listed.values_list("id", flat=True))
    specs = user_specs(MarketPlan(len(ids)), 8, specs_dir)
    return {"tokens": tokens[:-1], "warmup": tokens[-1], "ids": ids, "specs": specs}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="seed the load test's market")
    sub = parser.add_subparsers(dest="command", required=True)
    seed_cmd = sub.add_parser("seed")
    seed_cmd.add_argument("--learnwares", type=int, required=True)
    users_cmd = sub.add_parser("users")
    users_cmd.add_argument("--count", type=int, required=True)
    users_cmd.add_argument("--specs", type=Path, required=True, help="their folder")
    args = parser.parse_args(argv)
    import django

    django.setup()
    if args.command == "seed":
        result = seed(args.learnwares)
    else:
        result = users(args.count, args.specs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

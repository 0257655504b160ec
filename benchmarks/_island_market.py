"""Island markets for the search benchmark (``benchmarks.search``, section "islands").

Many table learnwares on several specification islands, described the way
developers describe them, and users who describe their columns their own way.

**Column sets** (9, 6-13 columns): the wild market's served tables
(``benchmarks._wild_market``: diamonds with two input sets, Ames with its extra
columns, Texas housing), each column with its documented description, two
paraphrases and two CSV-header spellings; and the five tables the column-match
threshold was *not* calibrated on (``learnware_core.islands.calibrate``
``HELD_OUT_TABLES``: school students, fitness tracker, river water, hotel bookings,
phone subscribers), each column as a header, a phrase and a sentence.

**Tasks** (17): the wild tables' own (regression and classification, with their
alternative output phrasings), and for every held-out table a regression target and
a two-class label set of :data:`HELD_OUT_OUTPUTS`. A classifier and a regressor
never share an island; output phrasings that differ may split one task's learnwares
over several islands, as in a real market.

**Learnwares** (seeded): a task drawn with Dirichlet(2) market shares (so islands
differ in size), one of :data:`SOURCES` sources of that task (a mixture of three
Gaussians, ``benchmarks.island_kernel``'s ``blobs``), ``K`` = 100 points of it in
**raw units** (column ``j`` multiplied by ``10^u_j``, ``u_j ~ U(-2, 4)``, plus an
offset, shared by the tasks of a column set), uniform weights, built directly as
``benchmarks._markets`` does (fitting 10,000 RKMEs would take ~15 minutes); the
stored ``gamma`` cycles through 0.1, "median" (the median heuristic of the points),
0.01 and 1.0. Descriptions: 80 % of the developers write words, each column's
wording drawn on its own from the column's paraphrases; 20 % give their CSV header
(either spelling). 30 % put their columns in another order.

**Users** (:data:`USER_GROUPS`, 12 each): rows (400-800) of the source of a random
learnware (so a user's chance to come from an island follows its size), their RKME
fitted the way ``bmw spec table`` fits it (:func:`learnware_core.cli.spec.fit_table`:
by default, on robustly standardised columns with the median-heuristic gamma, or,
every second user, on the raw columns with ``--gamma 0.1``) and described:

* ``paraphrase``: words drawn per column from the paraphrases, documented order;
* ``header``: the CSV header only (a list of names such as ``Gr_Liv_Area``);
* ``order``: words, columns shuffled;
* ``subset``: words, a quarter of the columns (at least one) dropped;
* ``no_match``: a table no learnware takes (penguins, births, and the calibration
  tables of other domains): the answer should be "no good match".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from benchmarks._markets import spec_from_points
from benchmarks._wild_market import (
    AMES,
    BIRTHS,
    DIAMONDS,
    PENGUINS,
    TXHOUSING,
    DatasetDef,
    Kind,
    semantic_spec,
)
from benchmarks.island_kernel import MIXED_LW_GAMMAS, Sampler, _tasks
from learnware_core.cli.spec import fit_table
from learnware_core.islands.calibrate import CALIBRATION_TABLES, HELD_OUT_TABLES
from learnware_core.specification.rkme import (
    RKMETableSpecification,
    median_heuristic_gamma,
)

FloatArray = NDArray[np.float64]

K = 100
SOURCES = 20
"""Sources (distributions) per task; a learnware is ``K`` points of one of them."""
USER_GROUPS = ("paraphrase", "header", "order", "subset", "no_match")
USERS_PER_GROUP = 12
HEADER_SHARE = 0.2
SHUFFLED_SHARE = 0.3
USER_GAMMAS: tuple[float | None, ...] = (None, 0.1)

HELD_OUT_OUTPUTS: dict[str, tuple[str, tuple[str, str], str]] = {
    "school students": (
        "final grade point average",
        ("passed the year", "repeats the year"),
        "Education",
    ),
    "fitness tracker": (
        "body weight in kilograms",
        ("reached the daily goal", "missed the daily goal"),
        "Health",
    ),
    "river water quality": (
        "chlorophyll concentration in micrograms per litre",
        ("safe for bathing", "unsafe for bathing"),
        "Nature",
    ),
    "hotel bookings": (
        "total price of the stay",
        ("cancelled", "checked in"),
        "Business",
    ),
    "mobile phone subscribers": (
        "revenue next month",
        ("churned", "stayed"),
        "Business",
    ),
}
"""Held-out tables: (regression target, class labels, scenario) of their tasks."""


@dataclass(frozen=True)
class ColumnSet:
    """A table's columns and how people describe each: in words, or by header."""

    name: str
    scenario: str
    prose: tuple[tuple[str, ...], ...]
    headers: tuple[tuple[str, ...], ...]

    @property
    def d(self) -> int:
        return len(self.prose)


@dataclass(frozen=True)
class IslandTask:
    """What a group of learnwares predicts from a column set."""

    columns: ColumnSet
    kind: Kind
    outputs: tuple[tuple[str, ...], ...]  # alternative phrasings of the output

    @property
    def task(self) -> str:
        return "Regression" if self.kind == "regression" else "Classification"


@dataclass(frozen=True)
class IslandLearnware:
    key: int
    source: tuple[int, int]  # (task, source)
    semantic: dict[str, Any]
    spec: RKMETableSpecification


@dataclass(frozen=True)
class IslandUser:
    group: str
    query: dict[str, Any] | list[str]  # the Input the dock sends, or a CSV header
    task: str
    spec: RKMETableSpecification
    source: tuple[int, int] | None  # None: no learnware takes these columns


@dataclass(frozen=True)
class IslandMarket:
    tasks: tuple[IslandTask, ...]
    learnwares: tuple[IslandLearnware, ...]
    users: tuple[IslandUser, ...]
    warmup: IslandUser


def _wild_columns(ds: DatasetDef, keys: Sequence[str], name: str) -> ColumnSet:
    cols = [ds.columns[k] for k in keys]
    return ColumnSet(
        name,
        ds.scenario,
        tuple(c.texts for c in cols),
        tuple((c.header, c.alt) for c in cols),
    )


def _table_columns(
    name: str, scenario: str, views: Sequence[Sequence[str]]
) -> ColumnSet:
    """A calibration table: ``(header, phrase, sentence)`` per column."""
    return ColumnSet(
        name,
        scenario,
        tuple((v[1], v[2]) for v in views),
        tuple((v[0],) for v in views),
    )


def island_tasks() -> tuple[IslandTask, ...]:
    """The market's 17 tasks on 9 column sets."""
    out: list[IslandTask] = []
    for ds, extra in ((DIAMONDS, ()), (AMES, AMES.extras), (TXHOUSING, ())):
        sets: dict[tuple[str, ...], ColumnSet] = {}
        for t in ds.tasks:
            keys = (*t.inputs, *extra)
            cs = sets.setdefault(keys, _wild_columns(ds, keys, f"{ds.name}/{t.name}"))
            out.append(IslandTask(cs, t.kind, t.outputs))
    for table in HELD_OUT_TABLES:
        target, labels, scenario = HELD_OUT_OUTPUTS[table.domain]
        cs = _table_columns(table.domain, scenario, table.columns)
        out.append(IslandTask(cs, "regression", ((target,),)))
        out.append(IslandTask(cs, "classification", (labels,)))
    return tuple(out)


def _foreign_columns() -> tuple[ColumnSet, ...]:
    """Column sets no learnware of the market takes (the no-match users')."""
    wild = tuple(
        _wild_columns(ds, tuple(ds.columns), ds.name) for ds in (PENGUINS, BIRTHS)
    )
    calibration = tuple(
        _table_columns(t.domain, "Others", t.columns) for t in CALIBRATION_TABLES
    )
    return wild + calibration


def _units(rng: np.random.Generator, d: int) -> tuple[FloatArray, FloatArray]:
    """Raw units as ``benchmarks.island_kernel.make_market`` draws them."""
    units = 10.0 ** rng.uniform(-2.0, 4.0, size=d)
    return units, units * rng.uniform(-5.0, 5.0, size=d)


def _words(rng: np.random.Generator, cs: ColumnSet, style: str) -> list[str]:
    """One description per column, each drawn on its own from ``style``'s list."""
    options = cs.headers if style == "header" else cs.prose
    return [opts[int(rng.integers(len(opts)))] for opts in options]


def make_island_market(n: int, *, seed: int = 0) -> IslandMarket:
    """``n`` learnwares on :func:`island_tasks`, and the users of every group."""
    rng = np.random.default_rng(seed)
    tasks = island_tasks()
    sets = list(dict.fromkeys(t.columns for t in tasks))
    units = {cs.name: _units(rng, cs.d) for cs in sets}
    samplers: list[list[Sampler]] = [
        _tasks(rng, "blobs", SOURCES, t.columns.d) for t in tasks
    ]
    share = rng.dirichlet(np.full(len(tasks), 2.0))

    def draw(t: int, s: int, rows: int, g: np.random.Generator) -> FloatArray:
        u, off = units[tasks[t].columns.name]
        out: FloatArray = samplers[t][s](g, rows) * u + off
        return out

    learnwares = []
    for i in range(n):
        t, s = int(rng.choice(len(tasks), p=share)), int(rng.integers(SOURCES))
        task = tasks[t]
        style = "header" if rng.random() < HEADER_SHARE else "prose"
        words = _words(rng, task.columns, style)
        order = np.arange(task.columns.d)
        if rng.random() < SHUFFLED_SHARE:
            order = rng.permutation(order)
        z = draw(t, s, K, rng)[:, order]
        choice = MIXED_LW_GAMMAS[i % len(MIXED_LW_GAMMAS)]
        gamma = median_heuristic_gamma(z) if choice == "median" else float(choice)
        outputs = task.outputs[int(rng.integers(len(task.outputs)))]
        semantic = semantic_spec(
            name=f"{task.columns.name} {task.kind} {i}",
            description=f"A {task.kind} model on {task.columns.name} data.",
            kind=task.kind,
            scenario=task.columns.scenario,
            inputs={str(j): words[int(c)] for j, c in enumerate(order)},
            outputs=outputs,
        )
        learnwares.append(
            IslandLearnware(i, (t, s), semantic, spec_from_points(z, gamma))
        )

    foreign = _foreign_columns()
    rng = np.random.default_rng((seed, 1))  # users: one stream, whatever ``n``
    users = []
    for u in range(USERS_PER_GROUP * len(USER_GROUPS) + 1):
        group = USER_GROUPS[u % len(USER_GROUPS)] if u else "paraphrase"
        fit_gamma = USER_GAMMAS[u % len(USER_GAMMAS)]
        rows = int(rng.integers(400, 801))
        source: tuple[int, int] | None = None
        if group == "no_match":
            cs = foreign[int(rng.integers(len(foreign)))]
            kind = "Regression" if rng.random() < 0.5 else "Classification"
            sampler = _tasks(rng, "blobs", 1, cs.d)[0]
            u_, off = _units(rng, cs.d)
            X = sampler(rng, rows) * u_ + off
            style = "header" if rng.random() < 0.5 else "prose"
        else:
            # the source of a random learnware: users come where the market is
            t, s = source = learnwares[int(rng.integers(n))].source
            cs, kind = tasks[t].columns, tasks[t].task
            X = draw(t, s, rows, rng)
            style = "header" if group == "header" else "prose"
        words = _words(rng, cs, style)
        keep = np.arange(cs.d)
        if group == "order":
            keep = rng.permutation(keep)
        elif group == "subset":
            drop = rng.choice(cs.d, size=max(1, cs.d // 4), replace=False)
            keep = np.setdiff1d(keep, drop)
        names = [words[int(c)] for c in keep]
        spec = fit_table(X[:, keep], gamma=fit_gamma, random_state=u).spec
        query: dict[str, Any] | list[str] = names
        if style == "prose":
            query = {
                "Input": {
                    "Dimension": len(names),
                    "Description": {str(j): w for j, w in enumerate(names)},
                }
            }
        users.append(IslandUser(group, query, kind, spec, source))
    return IslandMarket(tasks, tuple(learnwares), tuple(users[1:]), users[0])

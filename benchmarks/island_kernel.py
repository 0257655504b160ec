"""Island kernel: choose the bandwidth rule and measure identification.

``python -m benchmarks.island_kernel [--quick]`` prints readable tables, then as its
**last line** one JSON object with the headline numbers.

Synthetic markets (seeded) with several learnwares per task, each learnware an RKME
of its own sample of its task, fitted with a ``gamma`` of its developer's choosing
(0.1, "median", 0.01, 1.0, ...), optionally in raw units (columns scaled by 10^-2 ..
10^4 with offsets, as real tables come). Users are fresh samples of the same tasks
with their own RKME (``gamma`` 0.1 or "median"). A user is *identified* when the
learnware with the smallest MMD^2 is one of its own task's.

Sections
--------
* validation: bandwidth rules (``median``, ``dim``, ``separation``) and a ``gamma``
  grid (multiples of the median ``gamma``) on validation markets of four shapes and
  three dimensions; seeds disjoint from the evaluation ones. Chooses the rule.
* evaluation: the chosen island kernel vs. comparing under each learnware's own
  ``gamma``, under the user's ``gamma``, and the dock today (same ``gamma`` only,
  otherwise refused), on mixed-gamma markets, standardised and in raw units.
* fidelity: learnwares all fitted with one ``gamma`` (including 2.7e-7 on raw units
  and 10), compared under the island kernel: identification and the reduced set's
  MMD^2 to its own data under the island kernel.

The market builder (:func:`make_market`) and the rankings are imported by
``tests/core/test_island_kernel.py`` for its CI-sized check.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from learnware_core.kernels import _mmd_squared, packed_mmd_squared
from learnware_core.search.island_kernel import (
    BandwidthRule,
    IslandKernel,
    fit_island_kernel,
    island_mmd_squared,
    island_self_terms,
    stack_reduced_sets,
)
from learnware_core.specification.rkme import (
    RKMETableSpecification,
    median_heuristic_gamma,
)

Shape = Literal["blobs", "shift", "scale", "tabular"]
SHAPES: tuple[Shape, ...] = ("blobs", "shift", "scale", "tabular")
GammaChoice = float | Literal["median"]

MIXED_LW_GAMMAS: tuple[GammaChoice, ...] = (0.1, "median", 0.01, 1.0)
USER_GAMMAS: tuple[GammaChoice, ...] = (0.1, "median")


# ------------------------------------------------------------------ markets


@dataclass(frozen=True)
class Task:
    """A sampler for one task's rows (already in the market's units)."""

    sample: Callable[[np.random.Generator, int], np.ndarray]


@dataclass
class Market:
    """Learnwares and users of one synthetic island."""

    lw_specs: list[RKMETableSpecification]
    lw_task: np.ndarray  # (N,)
    lw_data: list[np.ndarray]
    user_specs: list[RKMETableSpecification]
    user_task: np.ndarray  # (U,)
    user_data: list[np.ndarray]
    units: np.ndarray  # (d,) column scale factors of the raw units (1 if standardised)


Sampler = Callable[[np.random.Generator, int], np.ndarray]


def _blob_task(rng: np.random.Generator, d: int) -> Sampler:
    """A mixture of 3 Gaussians around a task centre; centres ~1 sd apart."""
    centre = rng.normal(scale=0.8, size=d)
    means = centre + rng.normal(scale=0.8, size=(3, d))
    sds = rng.uniform(0.5, 1.0, size=(3, d))

    def sample(g: np.random.Generator, n: int) -> np.ndarray:
        comp = g.integers(3, size=n)
        out: np.ndarray = means[comp] + sds[comp] * g.normal(size=(n, d))
        return out

    return sample


def _shift_task(rng: np.random.Generator, d: int, A: np.ndarray) -> Sampler:
    """The shared correlated population with 2 columns shifted by ~0.8 sd."""
    shift = np.zeros(d)
    cols = rng.choice(d, size=2, replace=False)
    shift[cols] = rng.choice([-1.0, 1.0], size=2) * rng.uniform(0.6, 1.0, 2)

    def sample(g: np.random.Generator, n: int) -> np.ndarray:
        out: np.ndarray = g.normal(size=(n, d)) @ A.T + g.normal(size=(n, d)) + shift
        return out

    return sample


def _scale_task(rng: np.random.Generator, d: int) -> Sampler:
    """Mean zero; own spread and correlation (second moments only)."""
    sd = np.exp(rng.normal(scale=0.35, size=d))
    A = np.eye(d) + rng.normal(scale=0.3, size=(d, d))

    def sample(g: np.random.Generator, n: int) -> np.ndarray:
        out: np.ndarray = (g.normal(size=(n, d)) @ A.T) * sd
        return out

    return sample


def _tabular_task(rng: np.random.Generator, d: int) -> Sampler:
    """Log-normal, count, binary and Gaussian columns in turn; raw by nature."""
    kinds = np.array(["lognormal", "count", "binary", "gauss"])[np.arange(d) % 4]
    mu = rng.normal(scale=0.4, size=d)
    rate = np.exp(rng.normal(1.0, 0.5, size=d))
    p = rng.uniform(0.15, 0.85, size=d)

    def sample(g: np.random.Generator, n: int) -> np.ndarray:
        X = np.empty((n, d))
        for j, kind in enumerate(kinds):  # columns, a handful
            if kind == "lognormal":
                X[:, j] = np.exp(mu[j] + 0.6 * g.normal(size=n))
            elif kind == "count":
                X[:, j] = g.poisson(rate[j], size=n)
            elif kind == "binary":
                X[:, j] = g.random(n) < p[j]
            else:
                X[:, j] = mu[j] + g.normal(size=n)
        return X

    return sample


def _tasks(
    rng: np.random.Generator, shape: Shape, n_tasks: int, d: int
) -> list[Sampler]:
    """Samplers in standard units (columns of order 1)."""
    if shape == "blobs":
        return [_blob_task(rng, d) for _ in range(n_tasks)]
    if shape == "shift":
        # One correlated base population (sub-populations, like one airport's
        # flights among all).
        A = rng.normal(size=(d, d)) / np.sqrt(d)
        return [_shift_task(rng, d, A) for _ in range(n_tasks)]
    if shape == "scale":
        return [_scale_task(rng, d) for _ in range(n_tasks)]
    return [_tabular_task(rng, d) for _ in range(n_tasks)]


def make_market(
    seed: int,
    *,
    shape: Shape = "blobs",
    n_tasks: int = 6,
    d: int = 8,
    lw_per_task: int = 3,
    users_per_task: int = 2,
    raw_units: bool = True,
    row_id: bool = False,
    lw_gammas: Sequence[GammaChoice] = MIXED_LW_GAMMAS,
    user_gammas: Sequence[GammaChoice] = USER_GAMMAS,
    n_points: int = 30,
    rows: tuple[int, int] = (300, 600),
) -> Market:
    """A seeded market: ``n_tasks * lw_per_task`` learnwares and their users.

    ``raw_units`` multiplies column ``j`` by ``10^u_j`` (``u_j ~ U(-2, 4)``) and adds
    an offset of a few units; ``row_id`` appends a column ``0 .. 15,000`` drawn
    uniformly (a row number: the same in every task). Learnware ``i`` is fitted with
    ``lw_gammas[i % len]``, user ``u`` with ``user_gammas[u % len]``.
    """
    rng = np.random.default_rng(seed)
    samplers = _tasks(rng, shape, n_tasks, d)
    width = d + (1 if row_id else 0)
    units = np.ones(width)
    offsets = np.zeros(width)
    if raw_units:
        units = 10.0 ** rng.uniform(-2.0, 4.0, size=width)
        offsets = units * rng.uniform(-5.0, 5.0, size=width)
    if row_id:
        units[-1], offsets[-1] = 1.0, 0.0

    def draw(task: int, n: int) -> np.ndarray:
        X = samplers[task](rng, n)
        if row_id:
            X = np.column_stack((X, rng.uniform(0.0, 15_000.0, size=n)))
        out: np.ndarray = X * units + offsets
        return out

    def fit(X: np.ndarray, gamma: GammaChoice) -> RKMETableSpecification:
        return RKMETableSpecification(
            gamma=gamma, n_points=n_points, random_state=int(rng.integers(2**31))
        ).fit(X)

    lw_task = np.repeat(np.arange(n_tasks), lw_per_task)
    user_task = np.repeat(np.arange(n_tasks), users_per_task)
    lw_data = [draw(int(t), int(rng.integers(*rows))) for t in lw_task]
    user_data = [draw(int(t), int(rng.integers(*rows))) for t in user_task]
    lw_specs = [fit(X, lw_gammas[i % len(lw_gammas)]) for i, X in enumerate(lw_data)]
    user_specs = [
        fit(X, user_gammas[u % len(user_gammas)]) for u, X in enumerate(user_data)
    ]
    return Market(lw_specs, lw_task, lw_data, user_specs, user_task, user_data, units)


def refit(
    market: Market, lw_gamma: GammaChoice, *, users: bool = False, n_points: int = 30
) -> Market:
    """The same data, every learnware (and optionally user) fitted with one gamma."""

    def fit(X: np.ndarray, seed: int) -> RKMETableSpecification:
        return RKMETableSpecification(
            gamma=lw_gamma, n_points=n_points, random_state=seed
        ).fit(X)

    lws = [fit(X, i) for i, X in enumerate(market.lw_data)]
    us = (
        [fit(X, 1000 + i) for i, X in enumerate(market.user_data)]
        if users
        else market.user_specs
    )
    return Market(
        lws,
        market.lw_task,
        market.lw_data,
        us,
        market.user_task,
        market.user_data,
        market.units,
    )


def refit_under_kernel(
    market: Market, kernel: IslandKernel, *, users: bool = False, n_points: int = 30
) -> Market:
    """Specifications fitted the dock's way: on kernel-scaled data, island gamma.

    The reduced sets are mapped back to the columns' units, so they are compared
    like any other specification (the reference of the fidelity section). Users
    too if ``users``.
    """

    def fit(X: np.ndarray, seed: int) -> RKMETableSpecification:
        spec = RKMETableSpecification(
            gamma=kernel.gamma, n_points=n_points, random_state=seed
        ).fit(kernel.transform(X))
        return RKMETableSpecification.from_dict(
            {
                "z": (spec.z_ * kernel.column_scales + kernel.center).tolist(),
                "beta": spec.beta_.tolist(),
                "gamma": 1.0,  # irrelevant under the island kernel
            }
        )

    lws = [fit(X, i) for i, X in enumerate(market.lw_data)]
    us = (
        [fit(X, 1000 + i) for i, X in enumerate(market.user_data)]
        if users
        else market.user_specs
    )
    return Market(
        lws,
        market.lw_task,
        market.lw_data,
        us,
        market.user_task,
        market.user_data,
        market.units,
    )


# ------------------------------------------------------------------ rankings


def island_mmd_matrix(market: Market, kernel: IslandKernel) -> np.ndarray:
    """(U, N) squared MMDs under the island kernel (points scaled once)."""
    z, beta, offsets = stack_reduced_sets(market.lw_specs)
    zs = kernel.transform(z)
    selfs = island_self_terms(zs, beta, kernel, offsets=offsets, prescaled=True)
    return np.stack(
        [
            island_mmd_squared(
                u.z_,
                u.beta_,
                zs,
                beta,
                kernel,
                offsets=offsets,
                self_terms=selfs,
                prescaled=True,
            )
            for u in market.user_specs
        ]
    )


def own_gamma_mmd_matrix(market: Market, *, side: str = "learnware") -> np.ndarray:
    """(U, N) squared MMDs, pair (u, i) under learnware i's gamma (or the user's)."""
    out = np.empty((len(market.user_specs), len(market.lw_specs)))
    for u, q in enumerate(market.user_specs):
        for i, s in enumerate(market.lw_specs):
            g = s.gamma_ if side == "learnware" else q.gamma_
            out[u, i] = _mmd_squared(q.z_, q.beta_, s.z_, s.beta_, g)
    return out


def dock_today_matrix(market: Market) -> np.ndarray:
    """(U, N) squared MMDs where the gammas agree (rel. 1e-12), +inf otherwise."""
    out = np.full((len(market.user_specs), len(market.lw_specs)), np.inf)
    for u, q in enumerate(market.user_specs):
        same = [
            i
            for i, s in enumerate(market.lw_specs)
            if np.isclose(s.gamma_, q.gamma_, rtol=1e-12, atol=0.0)
        ]
        if same:
            Z3 = np.stack([market.lw_specs[i].z_ for i in same])
            B2 = np.stack([market.lw_specs[i].beta_ for i in same])
            out[u, same] = packed_mmd_squared(q.z_, q.beta_, Z3, B2, gamma=q.gamma_)
    return out


def identification(mmd2: np.ndarray, market: Market) -> float:
    """Share of users whose nearest learnware (finite MMD^2) is of their own task."""
    best = np.argmin(mmd2, axis=1)
    found = np.isfinite(mmd2[np.arange(mmd2.shape[0]), best])
    hit = found & (market.lw_task[best] == market.user_task)
    return float(hit.mean())


def pair_auc(mmd2: np.ndarray, market: Market) -> float:
    """P(MMD^2 to an own-task learnware < MMD^2 to another task's), over all users."""
    aucs = []
    for u in range(mmd2.shape[0]):
        own = market.lw_task == market.user_task[u]
        a, b = mmd2[u, own], mmd2[u, ~own]
        less = (a[:, None] < b[None, :]).mean() + 0.5 * (
            a[:, None] == b[None, :]
        ).mean()
        aucs.append(less)
    return float(np.mean(aucs))


def digits_of_agreement(mmd2: np.ndarray) -> float:
    """Median over users of ``-log10((max - min) / max)`` of their MMD^2 row."""
    rows = []
    for r in mmd2:
        r = r[np.isfinite(r)]
        if r.size < 2 or r.max() <= 0:
            continue
        rows.append(-np.log10(max((r.max() - r.min()) / r.max(), 1e-16)))
    return float(np.median(rows)) if rows else float("nan")


# ------------------------------------------------------------------ sections


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    line = "  ".join("-" * w for w in widths)
    return "\n".join([fmt.format(*header), line, *(fmt.format(*r) for r in rows)])


RULES: tuple[BandwidthRule, ...] = ("median", "dim", "separation")
GRID = tuple(2.0**k for k in range(-4, 7))


def bench_validation(quick: bool) -> dict[str, Any]:
    """Rules and a gamma grid on validation markets (seeds 100+)."""
    dims = (4, 12) if quick else (4, 8, 16)
    seeds = (100,) if quick else (100, 101)
    configs = [
        (shape, d, seed, row)
        for shape in SHAPES
        for d in dims
        for seed in seeds
        for row in ((False, True) if shape == "tabular" else (False,))
    ]
    per_rule: dict[str, list[tuple[float, float]]] = {r: [] for r in RULES}
    per_rule["median (no column scales)"] = []
    per_factor: dict[float, list[tuple[float, float]]] = {f: [] for f in GRID}
    rows = []
    for shape, d, seed, row in configs:
        # Two market sizes: 6 tasks x 3 learnwares, 10 tasks x 2 learnwares.
        n_tasks, per_task = (6, 3) if seed % 2 == 0 else (10, 2)
        market = make_market(
            seed + 17 * d,
            shape=shape,
            d=d,
            n_tasks=n_tasks,
            lw_per_task=per_task,
            row_id=row,
            raw_units=True,
        )
        z, beta, offsets = stack_reduced_sets(market.lw_specs)
        cells = [f"{shape}{'+row_id' if row else ''}", str(d), f"{n_tasks}x{per_task}"]
        for rule in RULES:
            kernel = fit_island_kernel(z, beta, offsets=offsets, rule=rule)
            m = island_mmd_matrix(market, kernel)
            res = (identification(m, market), pair_auc(m, market))
            per_rule[rule].append(res)
            cells.append(f"{res[0]:.2f}/{res[1]:.3f}")
        base = fit_island_kernel(z, beta, offsets=offsets, rule="median")
        # median heuristic on the raw pooled points, no column scales
        unscaled = IslandKernel(
            column_scales=np.ones(z.shape[1]),
            center=np.zeros(z.shape[1]),
            gamma=median_heuristic_gamma(z),
        )
        m = island_mmd_matrix(market, unscaled)
        res = (identification(m, market), pair_auc(m, market))
        per_rule["median (no column scales)"].append(res)
        cells.append(f"{res[0]:.2f}/{res[1]:.3f}")
        for f in GRID:
            k = IslandKernel(
                column_scales=base.column_scales,
                center=base.center,
                gamma=base.gamma * f,
            )
            m = island_mmd_matrix(market, k)
            per_factor[f].append((identification(m, market), pair_auc(m, market)))
        rows.append(cells)
    print("Validation markets (identification / pair AUC), seeds 100+, raw units:")
    print(_table(rows, ["market", "d", "tasks x lw", *RULES, "median, unscaled"]))
    summary = []
    out: dict[str, Any] = {"n_markets": len(configs)}
    for name, vals in per_rule.items():
        ident = float(np.mean([v[0] for v in vals]))
        auc = float(np.mean([v[1] for v in vals]))
        worst = float(np.min([v[0] for v in vals]))
        summary.append((name, f"{ident:.3f}", f"{worst:.2f}", f"{auc:.4f}"))
        out[f"validation_{name.split()[0]}{'_unscaled' if 'no' in name else ''}"] = {
            "identification": round(ident, 4),
            "worst": round(worst, 3),
            "auc": round(auc, 4),
        }
    for f, vals in per_factor.items():
        ident = float(np.mean([v[0] for v in vals]))
        auc = float(np.mean([v[1] for v in vals]))
        worst = float(np.min([v[0] for v in vals]))
        summary.append(
            (f"median gamma x {f:g}", f"{ident:.3f}", f"{worst:.2f}", f"{auc:.4f}")
        )
        out[f"validation_median_x{f:g}"] = {
            "identification": round(ident, 4),
            "auc": round(auc, 4),
        }
    print()
    print(_table(summary, ["rule", "mean ident.", "worst", "mean AUC"]))
    return out


def bench_evaluation(quick: bool) -> dict[str, Any]:
    """Island kernel (default rule) vs own gamma, user gamma, the dock today."""
    seeds = (0, 1) if quick else (0, 1, 2, 3)
    scenarios = [
        ("mixed gamma, standardised", dict(raw_units=False)),
        ("mixed gamma, raw units", dict(raw_units=True)),
        ("mixed gamma, raw + row id", dict(raw_units=True, row_id=True)),
        (
            "gamma 0.1 all, raw units",
            dict(raw_units=True, lw_gammas=(0.1,), user_gammas=(0.1,)),
        ),
    ]
    rows = []
    out: dict[str, Any] = {}
    for name, kwargs in scenarios:
        acc: dict[str, list[float]] = {
            k: []
            for k in ("island", "own", "user", "today", "digits_own", "digits_island")
        }
        for seed in seeds:
            for shape in SHAPES:
                market = make_market(seed, shape=shape, d=8, **kwargs)  # type: ignore[arg-type]
                kernel = fit_island_kernel(market.lw_specs)
                m_island = island_mmd_matrix(market, kernel)
                m_own = own_gamma_mmd_matrix(market)
                acc["island"].append(identification(m_island, market))
                acc["own"].append(identification(m_own, market))
                acc["user"].append(
                    identification(own_gamma_mmd_matrix(market, side="user"), market)
                )
                acc["today"].append(identification(dock_today_matrix(market), market))
                acc["digits_own"].append(digits_of_agreement(m_own))
                acc["digits_island"].append(digits_of_agreement(m_island))
        means = {k: float(np.nanmean(v)) for k, v in acc.items()}
        rows.append(
            (
                name,
                f"{means['island']:.3f}",
                f"{means['own']:.3f}",
                f"{means['user']:.3f}",
                f"{means['today']:.3f}",
                f"{means['digits_own']:.1f} / {means['digits_island']:.1f}",
            )
        )
        out[name] = {k: round(v, 4) for k, v in means.items()}
    print(
        f"Identification on evaluation markets (seeds {seeds}, 4 shapes, d=8, "
        "6 tasks x 3 learnwares, 12 users):"
    )
    print(
        _table(
            rows,
            [
                "market",
                "island kernel",
                "learnware's gamma",
                "user's gamma",
                "dock today",
                "digits agreeing (own / island)",
            ],
        )
    )
    return out


FIDELITY_GAMMAS: tuple[GammaChoice, ...] = (0.1, "median", 2.7e-7, 10.0)


def _to_data(market: Market, kernel: IslandKernel) -> float:
    """Mean MMD^2 of each learnware's reduced set to its own data under ``kernel``."""
    return float(
        np.mean(
            [
                _mmd_squared(
                    kernel.transform(s.z_),
                    s.beta_,
                    kernel.transform(X),
                    np.full(len(X), 1.0 / len(X)),
                    kernel.gamma,
                )
                for s, X in zip(market.lw_specs, market.lw_data, strict=True)
            ]
        )
    )


def bench_fidelity(quick: bool) -> dict[str, Any]:
    """Every learnware (then every user too) fitted with one gamma; island kernel."""
    seeds = (0,) if quick else (0, 1, 2)
    out: dict[str, Any] = {}
    rows = []
    for units in ("standardised", "raw units"):
        res: dict[str, list[tuple[float, float, float, float]]] = {}
        for seed in seeds:
            for shape in SHAPES:
                market = make_market(
                    seed + 50, shape=shape, d=8, raw_units=units == "raw units"
                )
                # One fixed kernel to measure every reduced set's fit to its data.
                ref_kernel = fit_island_kernel(market.lw_specs)
                variants: list[tuple[str, Market, Market]] = [
                    (
                        "dock fit (island kernel)",
                        refit_under_kernel(market, ref_kernel),
                        refit_under_kernel(market, ref_kernel, users=True),
                    )
                ]
                variants += [
                    (f"gamma={g}", refit(market, g), refit(market, g, users=True))
                    for g in FIDELITY_GAMMAS
                ]
                ref_fit: float | None = None
                for label, mk, both in variants:
                    kernel = fit_island_kernel(mk.lw_specs)  # as the dock would
                    m = island_mmd_matrix(mk, kernel)
                    m_both = island_mmd_matrix(both, kernel)
                    to_data = _to_data(mk, ref_kernel)
                    if ref_fit is None:
                        ref_fit = to_data
                    res.setdefault(label, []).append(
                        (
                            identification(m, mk),
                            pair_auc(m, mk),
                            identification(m_both, both),
                            to_data / ref_fit,
                        )
                    )
        for label, vals in res.items():
            ident, auc, ident_both = (
                float(np.mean([v[k] for v in vals])) for k in range(3)
            )
            ratio = float(np.median([v[3] for v in vals]))
            rows.append(
                (
                    units,
                    label,
                    f"{ident:.3f}",
                    f"{auc:.4f}",
                    f"{ident_both:.3f}",
                    f"{ratio:.2f}",
                )
            )
            out[f"{units}: {label}"] = {
                "identification": round(ident, 4),
                "auc": round(auc, 4),
                "identification_users_too": round(ident_both, 4),
                "to_data_ratio": round(ratio, 3),
            }
    print(
        "Reduced-set fidelity: all learnwares fitted with one gamma (users as in the "
        "market: 0.1 / median; then users fitted the same way too), compared under "
        "the island kernel; MMD^2 to own data under one fixed island kernel, "
        "relative to the dock's fit:"
    )
    print(
        _table(
            rows,
            [
                "units",
                "fitted with",
                "ident.",
                "AUC",
                "ident. (users too)",
                "MMD^2 to own data / dock fit",
            ],
        )
    )
    return out


SECTIONS = {
    "validation": bench_validation,
    "evaluation": bench_evaluation,
    "fidelity": bench_fidelity,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized run")
    parser.add_argument(
        "--only", choices=sorted(SECTIONS), action="append", help="run only these"
    )
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    for name, bench in SECTIONS.items():
        if args.only and name not in args.only:
            continue
        t0 = time.perf_counter()
        print(f"== {name}")
        results[name] = bench(args.quick)
        results[f"{name}_s"] = round(time.perf_counter() - t0, 1)
        print(f"({results[f'{name}_s']} s)\n", flush=True)
    print(json.dumps(results, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())

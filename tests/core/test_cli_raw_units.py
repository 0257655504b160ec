"""``bmw spec table`` on raw units (issue 21, part 1.4): the default fit standardises
the columns internally and stores the reduced set in the data's units; a kernel one
column dominates is named in a warning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from learnware_core.cli import main
from learnware_core.cli.spec import fit_table
from learnware_core.kernels import _mmd_squared
from learnware_core.search.island_kernel import fit_island_kernel
from learnware_core.specification.base import load_spec
from learnware_core.specification.rkme import RKMETableSpecification

pd = pytest.importorskip("pandas")

NAMES = ["row", "dep_delay", "distance", "late", "const"]


def _raw_table(n: int = 1200, seed: int = 0) -> np.ndarray:
    """Flights-like rows in raw units: a row number up to 15,000, a Gaussian delay,
    a log-normal distance in the hundreds, a binary flag and a constant column."""
    rng = np.random.default_rng(seed)
    return np.column_stack(
        [
            np.linspace(0.0, 15_000.0, n),
            rng.normal(10.0, 30.0, n),
            rng.lognormal(6.0, 0.5, n),
            rng.integers(0, 2, n).astype(float),
            np.full(n, 7.0),
        ]
    )


def _weighted_std(z: np.ndarray, beta: np.ndarray) -> np.ndarray:
    p = beta / beta.sum()
    mean = p @ z
    out: np.ndarray = np.sqrt(p @ (z - mean) ** 2)
    return out


def test_standardised_fit_spreads_the_reduced_set_over_raw_unit_data() -> None:
    X = _raw_table()

    fit = fit_table(X, n_points=40, random_state=0, column_names=NAMES)
    raw_median = fit_table(
        X, gamma="median", standardize=False, n_points=40, random_state=0
    )

    spec = fit.spec
    assert fit.standardized
    assert fit.warnings == ()
    assert isinstance(spec, RKMETableSpecification)
    assert spec.z_.shape == (40, 5)
    # z is in the data's units: the continuous columns inside their data's range
    # (5 % slack: a uniform column's edge points sit a little beyond the edge), the
    # 0/1 flag near it (reduced points need not sit on the lattice), the constant
    # column exactly.
    lo, hi = X.min(axis=0)[:3], X.max(axis=0)[:3]
    slack = 0.05 * (hi - lo)
    assert ((spec.z_[:, :3] >= lo - slack) & (spec.z_[:, :3] <= hi + slack)).all()
    assert (spec.z_[:, 3] > -0.25).all()
    assert (spec.z_[:, 3] < 1.25).all()
    np.testing.assert_allclose(spec.z_[:, 4], 7.0)
    # Spread over the data, not collapsed: per varying column the reduced set's
    # spread is most of the data's, and the row numbers cover most of their range.
    ratio = _weighted_std(spec.z_, spec.beta_)[:4] / X[:, :4].std(axis=0)
    assert (ratio > 0.8).all(), ratio
    assert np.ptp(spec.z_[:, 0]) > 0.8 * np.ptp(X[:, 0])
    # The stored gamma is the fitted one over the mean squared column scale.
    assert fit.column_scales is not None
    assert spec.gamma_ == pytest.approx(fit.fit_gamma / np.mean(fit.column_scales**2))
    # Under a kernel that sees every column (the dock's island kernel of this
    # data), the standardised fit summarises the data far better than the raw
    # median-heuristic fit, whose kernel sees only the row number.
    kernel = fit_island_kernel(X[None], np.full((1, len(X)), 1.0 / len(X)))
    Xs, u = kernel.transform(X), np.full(len(X), 1.0 / len(X))

    def mmd2_to_data(s: RKMETableSpecification) -> float:
        return _mmd_squared(kernel.transform(s.z_), s.beta_, Xs, u, kernel.gamma)

    assert mmd2_to_data(spec) * 10 < mmd2_to_data(raw_median.spec)


def test_cli_spec_table_default_writes_the_original_layout_without_warnings(
    tmp_path: Path, capsys: Any
) -> None:
    data, out = tmp_path / "flights.csv", tmp_path / "stat.json"
    pd.DataFrame(_raw_table(600), columns=NAMES).to_csv(data, index=False)

    code = main(["spec", "table", str(data), "-o", str(out), "--k", "30"])
    stdout, err = capsys.readouterr()

    assert code == 0, err
    assert err == ""
    assert "fitted on standardised columns" in stdout
    stored = json.loads(out.read_text())
    assert set(stored) == {"z", "beta", "gamma", "num_points", "type"}
    spec = load_spec(stored)
    assert isinstance(spec, RKMETableSpecification)
    assert spec.num_points_ == 600
    assert spec.z_[:, 0].max() > 1000  # row numbers stay row numbers


@pytest.mark.parametrize(
    "options",
    [["--gamma", "median", "--no-standardize"], ["--gamma", "0.1"]],
)
def test_cli_spec_table_warns_naming_the_column_that_dominates_the_kernel(
    options: list[str], tmp_path: Path, capsys: Any
) -> None:
    data, out = tmp_path / "flights.csv", tmp_path / "stat.json"
    pd.DataFrame(_raw_table(600), columns=NAMES).to_csv(data, index=False)

    code = main(
        ["-q", "spec", "table", str(data), "-o", str(out), "--k", "30", *options]
    )
    _, err = capsys.readouterr()

    assert code == 0  # a warning, never a refusal
    lines = err.strip().splitlines()
    assert lines[0].startswith("bmw: warning: column 'row' dominates the kernel")
    assert all(line.startswith("bmw: warning: ") for line in lines)
    assert "drop --gamma, or add --standardize" in lines[-1]
    stored = json.loads(out.read_text())
    if options[1] == "0.1":
        assert stored["gamma"] == 0.1  # a number is used as is


def test_cli_spec_table_standardize_with_a_number_uses_it_on_standardised_columns(
    tmp_path: Path, capsys: Any
) -> None:
    data, out = tmp_path / "flights.npy", tmp_path / "stat.json"
    np.save(data, _raw_table(400))

    argv = ["spec", "table", str(data), "-o", str(out), "--k", "20"]
    code = main([*argv, "--gamma", "0.5", "--standardize"])
    stdout, err = capsys.readouterr()

    assert code == 0, err
    assert "gamma 0.5 there" in stdout
    expected = fit_table(
        np.load(data), gamma=0.5, standardize=True, n_points=20, random_state=0
    )
    assert expected.column_scales is not None
    stored = json.loads(out.read_text())["gamma"]
    assert stored == pytest.approx(0.5 / np.mean(expected.column_scales**2))

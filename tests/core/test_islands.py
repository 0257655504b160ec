"""Specification islands: column matching by meaning, island assignment, location.

Most tests use the real offline MiniLM encoder (loaded once for the module); the
index mechanics are checked with a hashing encoder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from learnware_core.errors import SpecificationError
from learnware_core.islands import (
    ISLAND_COVERAGE,
    PAIR_THRESHOLD,
    ColumnSpace,
    IslandMap,
    align_columns,
    calibrate_threshold,
    column_words,
    default_column_space,
    is_placeholder,
    table_signature,
)
from learnware_core.islands.calibrate import CALIBRATION_TABLES, calibration_scenarios
from learnware_core.islands.island import _outputs_agree
from learnware_core.specification.semantic import SemanticSpec
from tests.conftest import TABLE_SPEC
from tests.core.test_rkme_text import HashingEncoder

FLIGHT = [
    "Departure delay in minutes",
    "Scheduled departure hour of the day",
    "Flight distance in miles",
    "Airline carrier code",
    "Time in the air, minutes",
]
# The same columns in other words and another order: FLIGHT[k] is REWORDED[where[k]].
REWORDED = [
    "Distance flown (miles)",
    "Carrier of the flight",
    "Delay at departure (min)",
    "Hour the flight was scheduled to leave",
    "Air time in minutes",
]
REWORDED_ORDER = (2, 3, 0, 1, 4)  # island column -> REWORDED column
HEADER = ["carrier", "dep_delay", "air_time", "distance", "sched_dep_hour"]
HEADER_ORDER = (1, 4, 3, 0, 2)
BIKES = [
    "Air temperature in Celsius",
    "Relative humidity in percent",
    "Wind speed in km/h",
    "Number of bikes rented in the hour",
    "Day of the week",
]


def spec(
    columns: Sequence[str] | None,
    *,
    task: str = "Regression",
    outputs: Sequence[str] | None = ("Arrival delay in minutes",),
    n: int | None = None,
) -> dict[str, Any]:
    """A semantic spec dict (only the keys islands read)."""
    out: dict[str, Any] = {"Task": {"Type": "Class", "Values": [task]}}
    d = len(columns) if columns is not None else n
    out["Input"] = {
        "Dimension": d,
        "Description": {str(i): t for i, t in enumerate(columns or [])},
    }
    if outputs is not None:
        out["Output"] = {
            "Dimension": len(outputs),
            "Description": {str(i): t for i, t in enumerate(outputs)},
        }
    return out


@pytest.fixture(scope="module")
def space() -> ColumnSpace:
    return default_column_space()


@pytest.fixture
def islands(space: ColumnSpace) -> IslandMap:
    return IslandMap(space)


# ------------------------------------------------------------------ text helpers


def test_headers_become_words() -> None:
    assert column_words("dep_delay") == "dep delay"
    assert column_words("ArrTime") == "arr time"
    assert column_words("sepal.length.cm") == "sepal length centimetres"
    assert column_words("x3") == "x 3"
    assert column_words("HTTPStatus") == "http status"
    assert column_words("avg_temp_%") == "average temperature percent"


@pytest.mark.parametrize(
    "text",
    ["", "3", "col_3", "x3", "V12", "Unnamed: 0", "unnamed feature 2 of 5", "y", "Z"],
)
def test_placeholders_name_nothing(text: str) -> None:
    assert is_placeholder(text)


def test_descriptions_and_letter_labels_are_not_placeholders() -> None:
    assert not is_placeholder("dep_delay")
    assert not is_placeholder("x-box horizontal position")
    assert is_placeholder("x", labels=False)
    assert not is_placeholder("x", labels=True)  # class "X" of a letter classifier
    assert is_placeholder("class 3", labels=True)
    assert not is_placeholder("pH")  # two letters: a name


def test_signature_reads_spec_dicts_and_headers() -> None:
    s = table_signature(spec(["a b", "c d"], outputs=["yes", "no"]), 3)
    assert s.columns == ("a b", "c d", "unnamed feature 3 of 3")
    assert (s.task, s.output_dim, s.labels) == ("Regression", 2, ("yes", "no"))
    h = table_signature(["dep_delay", "carrier"], task="Classification")
    assert h.columns == ("dep_delay", "carrier")
    assert h.task == "Classification"
    assert h.output_dim is None
    with pytest.raises(SpecificationError, match="Input"):
        table_signature({"Input": [1, 2]}, 2)


def test_signature_of_a_validated_spec_equals_that_of_its_dict() -> None:
    data = json.loads(TABLE_SPEC.read_text())
    validated = SemanticSpec.from_dict(data)
    n = validated.input_dimension
    assert table_signature(validated, n) == table_signature(data, n)
    assert table_signature(validated, n).task == "Classification"


def test_align_columns_puts_nan_where_the_table_lacks_a_column() -> None:
    X = np.arange(6.0).reshape(2, 3)
    Y = align_columns(X, (2, -1, 0))
    np.testing.assert_array_equal(Y[:, [0, 2]], X[:, [2, 0]])
    assert np.isnan(Y[:, 1]).all()


# ------------------------------------------------------------ matching (MiniLM)


def test_headers_match_sentences_one_to_one(space: ColumnSpace) -> None:
    m = space.match(
        ["dep_delay", "arr_delay", "distance"],
        [
            "departure delay in minutes",
            "distance flown in miles",
            "arrival delay in minutes",
        ],
    )
    assert [(p.left, p.right) for p in m.pairs] == [(0, 0), (1, 2), (2, 1)]
    assert m.coverage == 1.0
    assert all(p.similarity >= PAIR_THRESHOLD for p in m.pairs)


def test_different_columns_of_the_same_count_do_not_match(space: ColumnSpace) -> None:
    m = space.match(FLIGHT, BIKES)
    assert m.coverage < ISLAND_COVERAGE
    assert len(m.unmatched_left) >= 3


def test_partial_overlap_matches_only_the_shared_columns(space: ColumnSpace) -> None:
    left = [*FLIGHT[:3], "Number of passengers on board"]
    right = ["Seats sold for the flight", *REWORDED[2:4], "Ticket price in dollars"]
    m = space.match(left, right)
    pairs = {(p.left, p.right) for p in m.pairs}
    assert {(0, 1), (1, 2)} <= pairs  # departure delay, scheduled hour
    assert (2, 1) not in pairs
    assert (2, 2) not in pairs
    assert m.described_left == m.described_right == 4


def test_placeholder_columns_are_never_matched(space: ColumnSpace) -> None:
    m = space.match(["col_1", "dep_delay", "x3"], ["col_1", "departure delay", "x3"])
    assert [(p.left, p.right) for p in m.pairs] == [(1, 1)]
    assert m.described_left == 1
    assert m.coverage == 1.0


def test_threshold_constant_is_what_calibration_gives(space: ColumnSpace) -> None:
    report = calibrate_threshold(space=space)
    assert report.threshold == pytest.approx(PAIR_THRESHOLD, abs=0.015)
    assert report.balanced_accuracy >= 0.85
    assert report.precision >= 0.85
    assert report.island_accuracy >= 0.8
    kinds = dict(report.island_accuracy_by_kind)
    assert kinds["disjoint"] == kinds["other table"] == 1.0


def test_calibration_scenarios_know_the_true_pairs() -> None:
    table = CALIBRATION_TABLES[0]
    scenarios = calibration_scenarios([table, CALIBRATION_TABLES[1]])
    same = next(s for s in scenarios if s.kind == "same")
    assert all(
        table.view(0).index(same.left[i]) == table.view(1).index(same.right[j])
        for i, j in same.truth
    )
    assert same.same_island
    assert not next(s for s in scenarios if s.kind == "disjoint").truth


# ------------------------------------------------------------- islands (MiniLM)


def test_rewording_reordering_and_headers_land_on_one_island(
    islands: IslandMap,
) -> None:
    first = islands.assign(spec(FLIGHT), 5, key="sentences")
    reworded = islands.assign(spec(REWORDED, outputs=["arr_delay"]), 5, key="reworded")
    header = islands.assign(
        spec(HEADER, outputs=["Arrival delay (min)"]), 5, key="header"
    )

    assert first.created
    assert first.order == (0, 1, 2, 3, 4)
    assert not reworded.created
    assert not header.created
    assert reworded.island_id == header.island_id == first.island_id
    assert reworded.order == REWORDED_ORDER
    assert header.order == HEADER_ORDER
    assert header.to_island[HEADER_ORDER[0]] == 0
    assert reworded.reason is None
    assert header.reason is None
    info = islands.island(first.island_id)
    assert set(info.members) == {"sentences", "reworded", "header"}
    assert "dep_delay" in info.columns[0]  # later users' wording is kept


def test_same_count_other_columns_found_another_island(islands: IslandMap) -> None:
    flights = islands.assign(spec(FLIGHT), 5, key="flights")
    bikes = islands.assign(spec(BIKES, outputs=["bikes rented"]), 5, key="bikes")
    assert bikes.created
    assert bikes.island_id != flights.island_id


def test_classifier_and_regressor_never_share_an_island(islands: IslandMap) -> None:
    regressor = islands.assign(spec(FLIGHT), 5, key="reg")
    classifier = islands.assign(
        spec(FLIGHT, task="Classification", outputs=["on time", "late"]),
        5,
        key="clf",
    )
    assert classifier.created
    assert classifier.island_id != regressor.island_id
    # Same columns, other output: recorded as a link for the specification world.
    (link,) = classifier.links
    assert {link.island_a, link.island_b} == {regressor.island_id, classifier.island_id}
    assert not link.same_output
    assert link.coverage_a == link.coverage_b == 1.0


def test_label_sets_decide_between_classifiers(islands: IslandMap) -> None:
    a = islands.assign(
        spec(FLIGHT, task="Classification", outputs=["on time", "delayed"]), 5, key="a"
    )
    swapped = islands.assign(
        spec(REWORDED, task="Classification", outputs=["Delayed", "On_time"]),
        5,
        key="b",
    )
    other = islands.assign(
        spec(FLIGHT, task="Classification", outputs=["cancelled", "flown"]), 5, key="c"
    )
    three = islands.assign(
        spec(FLIGHT, task="Classification", outputs=["early", "on time", "late"]),
        5,
        key="d",
    )
    assert swapped.island_id == a.island_id
    assert swapped.label_order == (1, 0)
    assert len({a.island_id, other.island_id, three.island_id}) == 3


def test_regression_targets_must_mean_the_same(islands: IslandMap) -> None:
    arrival = islands.assign(spec(FLIGHT), 5, key="arr")
    departure = islands.assign(
        spec(FLIGHT, outputs=["Departure delay in minutes"]), 5, key="dep"
    )
    undescribed_target = islands.assign(spec(FLIGHT, outputs=["0"]), 5, key="anon")
    assert len({arrival.island_id, departure.island_id}) == 2
    assert undescribed_target.island_id not in {arrival.island_id, departure.island_id}


def test_undescribed_columns_have_their_own_island_and_say_why(
    islands: IslandMap,
) -> None:
    islands.assign(spec(FLIGHT), 5, key="described")
    first = islands.assign(spec(["0", "1", "2", "3", "4"]), 5, key="u1")
    second = islands.assign(spec(None, n=5), 5, key="u2")
    other_task = islands.assign(
        spec(None, n=5, task="Classification", outputs=["a", "b"]), 5, key="u3"
    )

    assert first.undescribed
    assert first.created
    assert second.island_id == first.island_id
    assert not second.created
    assert second.order == (0, 1, 2, 3, 4)
    assert other_task.island_id != first.island_id
    assert first.reason is not None
    assert "no description" in first.reason
    assert islands.island(first.island_id).described is False
    # A user without descriptions is told the same.
    (found,) = islands.locate(["x1", "x2", "x3", "x4", "x5"], task="Regression")
    assert found.island_id == first.island_id
    assert found.undescribed
    assert found.reason is not None
    assert "may be weak" in found.reason


def test_partly_described_table_aligns_only_its_described_columns(
    islands: IslandMap,
) -> None:
    islands.assign(spec(FLIGHT), 5, key="full")
    partial = islands.assign(
        spec(["col_1", *REWORDED[1:]]), 5, key="partial"
    )  # "Distance flown" unnamed
    assert not partial.undescribed
    assert partial.to_island[0] == -1
    assert partial.order[2] == -1  # the island's distance column is not aligned
    assert partial.reason is not None
    assert "no description" in partial.reason


def test_locate_aligns_a_csv_header_user(islands: IslandMap) -> None:
    home = islands.assign(spec(FLIGHT), 5, key="flights")
    islands.assign(spec(BIKES, outputs=["bikes rented"]), 5, key="bikes")
    islands.assign(
        spec(FLIGHT, task="Classification", outputs=["on time", "late"]), 5, key="clf"
    )

    found = islands.locate(HEADER, task="Regression")
    best = found[0]
    assert best.island_id == home.island_id
    assert best.fits
    assert best.order == HEADER_ORDER
    X = np.arange(10.0).reshape(2, 5)  # the user's rows, header order
    np.testing.assert_array_equal(best.align(X), X[:, list(HEADER_ORDER)])
    assert all(m.island_id != home.island_id for m in found[1:])

    clf = islands.locate(HEADER, task="Classification")
    assert clf[0].island_id != home.island_id
    assert clf[0].fits

    # Nothing shares columns with an unrelated table: go to the world.
    unrelated = islands.locate(
        ["patient age", "blood glucose", "body mass index"], task="Regression"
    )
    assert not any(m.fits for m in unrelated)


def test_reassigning_and_removing_members(islands: IslandMap) -> None:
    a = islands.assign(spec(FLIGHT), 5, key="a")
    islands.assign(spec(HEADER), 5, key="b")
    moved = islands.assign(spec(BIKES), 5, key="b")
    assert moved.island_id != a.island_id
    assert islands.island_of("b") == moved.island_id
    assert "dep_delay" not in islands.island(a.island_id).columns[0]
    islands.remove("b")
    assert [i.island_id for i in islands.islands] == [a.island_id]
    with pytest.raises(KeyError):
        islands.remove("b")


def test_map_round_trips_through_json(islands: IslandMap, space: ColumnSpace) -> None:
    islands.assign(spec(FLIGHT), 5, key="a")
    islands.assign(spec(HEADER), 5, key=7)
    islands.assign(spec(FLIGHT, task="Classification", outputs=["x", "y"]), 5, key="c")
    islands.assign(spec(None, n=5), 5, key="u")

    again = IslandMap.from_dict(json.loads(json.dumps(islands.to_dict())), space=space)

    assert again.islands == islands.islands
    assert again.links() == islands.links()
    assert again.locate(HEADER)[0].order == islands.locate(HEADER)[0].order
    assert again.assign(spec(REWORDED), 5, key="new").island_id == 0


# ------------------------------------------------------- index mechanics (fake)


def test_one_of_many_islands_is_found_by_the_vectorised_prerank() -> None:
    """40 islands of random 4-word columns; each user finds its own island."""
    space = ColumnSpace(HashingEncoder(dim=64), threshold=0.5)
    islands = IslandMap(space, max_candidates=2)
    rng = np.random.default_rng(0)
    letters = np.array(list("bcdfghjklmnpqrstvwxz"))
    vocabulary = ["".join(rng.choice(letters, size=6)) for _ in range(400)]
    tables = [
        [" ".join(rng.choice(vocabulary, size=4)) for _ in range(6)] for _ in range(40)
    ]
    ids = [islands.assign(spec(t), 6, key=k).island_id for k, t in enumerate(tables)]
    assert len(set(ids)) == 40

    for k in rng.choice(40, size=5, replace=False):
        perm = rng.permutation(6)
        found = islands.locate([tables[k][p] for p in perm])
        assert found[0].island_id == ids[k]
        assert found[0].order == tuple(int(i) for i in np.argsort(perm))

    islands.remove(3)
    assert islands.island_of(3) is None
    assert all(m.island_id != ids[3] for m in islands.locate(tables[3]))


def test_outputs_agree_ignores_what_a_user_left_out(space: ColumnSpace) -> None:
    islands = IslandMap(space)
    islands.assign(spec(FLIGHT, task="Classification", outputs=["a", "b"]), 5, key=1)
    island = islands._islands[0]
    user = table_signature(FLIGHT)
    assert _outputs_agree(island, user, space, strict=False) == (True, None)
    assert _outputs_agree(island, user, space, strict=True)[0] is False

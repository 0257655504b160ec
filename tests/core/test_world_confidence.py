"""The specification world's result confidence (issue 21, item 4)."""

from __future__ import annotations

import numpy as np
import pytest

from learnware_core.search.world_confidence import world_confidence, world_features


def test_features_are_scale_free_ratios() -> None:
    mmd2 = np.array([0.5, 1.0, 10.0])
    F = world_features(mmd2)
    np.testing.assert_allclose(F[:, 0], np.log10(mmd2 / 0.5))  # behind the best
    np.testing.assert_allclose(F[:, 1], [np.log10(2.0), 1.0, 0.0])  # ahead of next
    np.testing.assert_allclose(world_features(1e-6 * mmd2), F)  # any engine scale
    assert world_features([]).shape == (0, 2)


def test_a_clear_leader_is_trusted_more_than_a_tie() -> None:
    leader = world_confidence([1.0, 10.0, 11.0])[0]
    tied = world_confidence([1.0, 1.01, 11.0])[0]
    far_behind = world_confidence([1.0, 1.01, 50.0, 51.0])[2]
    assert leader > 0.8 > tied
    assert far_behind < 0.2
    assert np.all(
        (world_confidence([0.0, 0.0, 3.0]) > 0)
        & (world_confidence([0.0, 0.0, 3.0]) < 1)
    )


def test_an_exact_copy_is_not_infinitely_ahead() -> None:
    conf = world_confidence([0.0, 1.0])
    assert np.isfinite(conf).all()
    assert conf[0] == pytest.approx(world_confidence([1e-9, 1.0])[0], abs=1e-6)

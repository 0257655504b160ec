"""RKME for images: random-CNN feature kernel, fit, comparison and the JSON layout."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from learnware_core.errors import SpecificationError
from learnware_core.specification.base import get_spec_class, load_spec
from learnware_core.specification.image import (
    DEFAULT_MODEL_CONFIG,
    ORIGINAL_MODEL_CONFIG,
    ORIGINAL_N_MODELS,
    RandomConvFeatures,
    RKMEImageSpecification,
    prepare_images,
)

# A tiny kernel (2 nets x 4 channels, D = 128) keeps the structural tests fast.
SMALL: dict[str, Any] = {"k": 1, "net_width": 4, "net_depth": 3, "seed": 0}
ORIGINAL_KEYS = {
    "RKME_IMAGE_VERSION",
    "msg",
    "z",
    "beta",
    "n_models",
    "model_config",
    "type",
}


def _images(
    n: int, classes: tuple[int, ...], seed: int, *, shift: float = 0.0
) -> np.ndarray:
    """uint8 images (n, 32, 32, 3): class-specific oriented gratings, tint and blob."""
    rng = np.random.default_rng(seed)
    labels = rng.choice(np.asarray(classes), size=n)
    yy, xx = np.mgrid[0:32, 0:32] / 32.0
    theta = np.pi * labels / 10.0
    proj = np.cos(theta)[:, None, None] * xx + np.sin(theta)[:, None, None] * yy
    phase = rng.uniform(0, 2 * np.pi, size=n)[:, None, None]
    freq = (2.0 + labels % 5)[:, None, None]
    grating = 0.5 + 0.4 * np.sin(2 * np.pi * freq * proj + phase)
    tint = np.random.default_rng(7).uniform(0.3, 1.0, size=(10, 3))[labels]
    img = grating[..., None] * tint[:, None, None, :]
    centre = np.random.default_rng(8).uniform(0.2, 0.8, size=(10, 2))[labels]
    d2 = (yy - centre[:, 0, None, None]) ** 2 + (xx - centre[:, 1, None, None]) ** 2
    img = img + 0.5 * np.exp(-d2 / 0.01)[..., None] + shift
    img = img + rng.normal(0, 0.05, size=img.shape)
    return (np.clip(img, 0, 1) * 255).astype(np.uint8)


def _small_spec(X: np.ndarray, **kwargs: Any) -> RKMEImageSpecification:
    params: dict[str, Any] = {
        "n_points": 6,
        "max_iter": 5,
        "n_models": 2,
        "model_config": SMALL,
        "random_state": 0,
    }
    params.update(kwargs)
    return RKMEImageSpecification(**params).fit(X)


@pytest.fixture(scope="module")
def data_a() -> np.ndarray:
    return _images(240, classes=(0, 1, 2, 3, 4), seed=0)


@pytest.fixture(scope="module")
def spec_a(data_a: np.ndarray) -> RKMEImageSpecification:
    return RKMEImageSpecification(n_points=10, max_iter=40, random_state=0).fit(data_a)


# ------------------------------------------------------------------ preprocessing


def test_prepare_images_grey_28x28_becomes_1_or_3_channels_of_32x32() -> None:
    grey = np.random.default_rng(0).integers(0, 256, size=(4, 28, 28), dtype=np.uint8)

    one = prepare_images(grey)
    three = prepare_images(grey, n_channels=3)

    assert one.shape == (4, 1, 32, 32)
    assert one.dtype == np.float32
    assert three.shape == (4, 3, 32, 32)
    np.testing.assert_array_equal(three[:, 0], three[:, 2])
    assert one.min() >= 0.0  # uint8 scaled by 1/255
    assert one.max() <= 1.0


def test_prepare_images_detects_channels_last_and_first() -> None:
    nhwc = np.random.default_rng(1).random((3, 20, 24, 3)).astype(np.float32)
    nchw = np.ascontiguousarray(nhwc.transpose(0, 3, 1, 2))

    auto_last = prepare_images(nhwc)
    auto_first = prepare_images(nchw)
    explicit = prepare_images(nhwc, channel_order="NHWC")

    assert auto_last.shape == (3, 3, 32, 32)
    np.testing.assert_array_equal(auto_last, auto_first)
    np.testing.assert_array_equal(auto_last, explicit)


def test_prepare_images_refuses_ambiguous_layout_and_bad_ndim() -> None:
    with pytest.raises(SpecificationError, match="channel_order"):
        prepare_images(np.zeros((2, 8, 8, 8)))
    with pytest.raises(SpecificationError, match="shape"):
        prepare_images(np.zeros((2, 8)))
    with pytest.raises(SpecificationError, match="convert"):
        prepare_images(np.zeros((2, 2, 8, 8)), n_channels=3)


def test_prepare_images_imputes_nan_with_the_image_mean() -> None:
    X = np.ones((2, 1, 32, 32))
    X[0, 0, 0, 0] = np.nan
    X[1] = 3.0
    X[1, 0, 5, 5] = np.inf

    out = prepare_images(X)

    np.testing.assert_array_equal(out[0], 1.0)
    np.testing.assert_array_equal(out[1], 3.0)
    X[0] = np.nan
    with pytest.raises(SpecificationError, match=r"image\(s\) 0"):
        prepare_images(X)


def test_prepare_images_rgb_to_grey_uses_luma_weights() -> None:
    X = np.zeros((1, 3, 32, 32), dtype=np.float32)
    X[:, 1] = 1.0  # pure green

    out = prepare_images(X, n_channels=1)

    np.testing.assert_allclose(out, 0.587, rtol=1e-6)


# ------------------------------------------------------------------ feature map


def test_feature_map_equals_separate_networks_run_one_by_one() -> None:
    import torch
    import torch.nn.functional as F

    fm = RandomConvFeatures(3, n_models=3, model_config={**SMALL, "net_depth": 2})
    x = np.random.default_rng(2).normal(size=(5, 3, 32, 32)).astype(np.float32)

    features = fm.transform(x)

    width = 4
    per_net = []
    for m in range(3):
        h = torch.from_numpy(x)
        for w, b in fm.weights_:
            rows = slice(m * width, (m + 1) * width)
            h = F.conv2d(
                h, torch.from_numpy(w[rows]), torch.from_numpy(b[rows]), padding=1
            )
            h = F.avg_pool2d(F.relu(h), 2)
        per_net.append(h)  # (5, width, 8, 8)
    naive = torch.cat(per_net, dim=1).flatten(1).numpy() / np.sqrt(fm.n_features_)
    assert features.shape == (5, 3 * width * 8 * 8) == (5, fm.n_features_)
    np.testing.assert_allclose(features, naive, rtol=1e-4, atol=1e-6)


def test_feature_map_weights_are_a_function_of_the_config() -> None:
    a = RandomConvFeatures(1, n_models=2, model_config=SMALL)
    b = RandomConvFeatures(1, n_models=2, model_config=dict(SMALL))
    c = RandomConvFeatures(1, n_models=2, model_config={**SMALL, "seed": 1})

    for (wa, ba), (wb, bb) in zip(a.weights_, b.weights_, strict=True):
        np.testing.assert_array_equal(wa, wb)
        np.testing.assert_array_equal(ba, bb)
    assert not np.array_equal(a.weights_[0][0], c.weights_[0][0])
    # He initialisation: std sqrt(2 / fan_in) for the 4-channel hidden layer.
    assert a.weights_[1][0].std() == pytest.approx(np.sqrt(2 / 36), rel=0.2)


# ------------------------------------------------------------------ fit


def test_fit_gives_simplex_weights_and_documented_shapes(data_a: np.ndarray) -> None:
    spec = _small_spec(data_a)

    assert spec.z_.shape == (6, 3, 32, 32)
    assert spec.z_.dtype == np.float32
    assert spec.beta_.shape == (6,)
    assert (spec.beta_ >= 0).all()
    assert spec.beta_.sum() == pytest.approx(1.0, abs=1e-12)
    assert spec.n_channels_ == 3
    assert spec.num_points_ == len(data_a)
    assert spec.normalization_ is not None
    assert spec.normalization_["input_scale"] == pytest.approx(1 / 255)
    assert len(spec.normalization_["mean"]) == 3
    assert spec.embedding().shape == (spec.feature_map().n_features_,)


def test_fit_does_not_modify_the_callers_arrays(data_a: np.ndarray) -> None:
    X = data_a[:50].copy()
    Xf = X.astype(np.float64)
    Xf[0, 0, 0, 0] = np.nan
    before, before_f = X.copy(), Xf.copy()

    _small_spec(X)
    _small_spec(Xf)

    np.testing.assert_array_equal(X, before)
    np.testing.assert_array_equal(Xf, before_f)


def test_fit_is_deterministic_for_a_fixed_seed(data_a: np.ndarray) -> None:
    a = _small_spec(data_a, max_samples=100)
    b = _small_spec(data_a, max_samples=100)

    np.testing.assert_array_equal(a.z_, b.z_)
    np.testing.assert_array_equal(a.beta_, b.beta_)
    assert a.num_points_ == 100


def test_fit_caps_the_reduced_set_below_the_number_of_images(
    data_a: np.ndarray,
) -> None:
    spec = _small_spec(data_a[:6], n_points=50)

    assert spec.z_.shape[0] == 4  # max(1, 2 * 6 // 3)


def test_grey_input_can_be_fitted_as_one_or_three_channels() -> None:
    grey = _images(40, classes=(0, 1), seed=3)[..., 0]  # (40, 32, 32)
    small = grey[:, ::2, ::2][:, :14, :14]  # 14 x 14, like a downscaled MNIST

    one = _small_spec(small)
    three = _small_spec(small, n_channels=3)

    assert one.z_.shape == (6, 1, 32, 32)
    assert three.z_.shape == (6, 3, 32, 32)
    with pytest.raises(SpecificationError, match="channel counts"):
        one.dist(three)


def test_optimising_z_beats_the_herding_initialisation(data_a: np.ndarray) -> None:
    herd = RKMEImageSpecification(n_points=10, max_iter=0, random_state=0).fit(data_a)
    opt = RKMEImageSpecification(n_points=10, max_iter=40, random_state=0).fit(data_a)

    assert opt.mmd2_ is not None
    assert herd.mmd2_ is not None
    assert opt.mmd2_ < 0.5 * herd.mmd2_
    assert opt.mmd_squared_to_data(data_a) == pytest.approx(opt.mmd2_, rel=1e-3)


# ------------------------------------------------------------------ comparison


def test_dist_equals_naive_mmd_from_explicit_features(data_a: np.ndarray) -> None:
    a = _small_spec(data_a[:120])
    b = _small_spec(data_a[120:], n_points=4)
    fm = a.feature_map()
    Pa = fm.transform(a.z_).astype(np.float64)
    Pb = fm.transform(b.z_).astype(np.float64)

    naive = 0.0
    for Pi, bi, Pj, bj, sign in [
        (Pa, a.beta_, Pa, a.beta_, 1.0),
        (Pa, a.beta_, Pb, b.beta_, -2.0),
        (Pb, b.beta_, Pb, b.beta_, 1.0),
    ]:
        for i in range(len(bi)):
            for j in range(len(bj)):
                naive += sign * bi[i] * bj[j] * float(Pi[i] @ Pj[j])

    assert a.dist(b) == pytest.approx(naive, rel=1e-6, abs=1e-12)
    assert a.inner_product(b) == pytest.approx(
        float(a.beta_ @ Pa @ Pb.T @ b.beta_), rel=1e-6
    )


def test_dist_is_zero_to_itself_symmetric_and_nonnegative(data_a: np.ndarray) -> None:
    a = _small_spec(data_a[:120])
    b = _small_spec(data_a[120:])

    assert a.dist(a) == 0.0
    assert a.dist(b) == b.dist(a)
    assert a.dist(b) > 0.0
    np.testing.assert_allclose(a.dist_many([a, b]), [0.0, a.dist(b)], atol=1e-15)


def test_spec_is_closer_to_its_own_data_than_to_other_classes_or_noise(
    data_a: np.ndarray, spec_a: RKMEImageSpecification
) -> None:
    own_new_sample = _images(240, classes=(0, 1, 2, 3, 4), seed=10)
    other_classes = _images(240, classes=(5, 6, 7, 8, 9), seed=11)
    brighter = _images(240, classes=(0, 1, 2, 3, 4), seed=12, shift=0.3)
    noise = np.random.default_rng(13).integers(0, 256, (240, 32, 32, 3), np.uint8)

    own = spec_a.mmd_squared_to_data(own_new_sample)
    assert own < spec_a.mmd_squared_to_data(other_classes) / 10
    assert own < spec_a.mmd_squared_to_data(noise) / 10
    assert own < spec_a.mmd_squared_to_data(brighter) / 10  # stored normalisation

    kwargs: dict[str, Any] = {"n_points": 10, "max_iter": 20, "random_state": 1}
    same = RKMEImageSpecification(**kwargs).fit(own_new_sample)
    other = RKMEImageSpecification(**kwargs).fit(other_classes)
    rand = RKMEImageSpecification(**kwargs).fit(noise)
    assert spec_a.dist(same) < spec_a.dist(other) / 10
    assert spec_a.dist(same) < spec_a.dist(rand) / 10


def test_refuses_to_compare_specs_with_different_kernels(data_a: np.ndarray) -> None:
    a = _small_spec(data_a[:60])
    other_seed = _small_spec(data_a[:60], model_config={**SMALL, "seed": 1})
    other_n_models = _small_spec(data_a[:60], n_models=3)
    same_kernel = _small_spec(
        data_a[:60], model_config={**SMALL, "k": 2, "net_width": 2}
    )

    for other in (other_seed, other_n_models):
        assert not a.is_compatible(other)
        with pytest.raises(SpecificationError, match="different kernels"):
            a.dist(other)
    assert a.is_compatible(same_kernel)  # k * net_width is what matters
    assert a.dist(same_kernel) >= 0.0


# ------------------------------------------------------------------ serialisation


def test_round_trip_through_json_keeps_the_original_keys(
    spec_a: RKMEImageSpecification,
) -> None:
    data = json.loads(json.dumps(spec_a.to_dict(), separators=(",", ":")))

    loaded = RKMEImageSpecification.from_dict(data)

    assert set(data) >= ORIGINAL_KEYS
    assert data["type"] == "RKMEImageSpecification"
    assert data["RKME_IMAGE_VERSION"] == 1
    assert data["msg"] is None
    assert data["model_config"] == DEFAULT_MODEL_CONFIG
    assert np.asarray(data["z"]).shape == (10, 3, 32, 32)
    np.testing.assert_array_equal(loaded.z_, spec_a.z_)
    np.testing.assert_array_equal(loaded.beta_, spec_a.beta_)
    assert loaded.normalization_ == spec_a.normalization_
    assert loaded.dist(spec_a) == pytest.approx(0.0, abs=1e-12)
    assert isinstance(load_spec(data), RKMEImageSpecification)
    assert get_spec_class("RKMEImageSpecification") is RKMEImageSpecification


def test_loads_a_file_in_the_original_layout() -> None:
    rng = np.random.default_rng(4)
    original = {
        "RKME_IMAGE_VERSION": 1,
        "msg": None,
        "z": rng.normal(size=(3, 3, 32, 32)).tolist(),
        "beta": [0.5, 0.3, 0.2],
        "n_models": 16,
        "model_config": dict(ORIGINAL_MODEL_CONFIG),
        "type": "RKMEImageSpecification",
    }
    bare = {"z": original["z"], "beta": original["beta"]}

    spec = RKMEImageSpecification.from_dict(original)
    spec_bare = RKMEImageSpecification.from_dict(bare)

    assert spec.n_models_ == ORIGINAL_N_MODELS
    assert spec.model_config_["seed"] == 0
    assert spec.normalization_ is None
    assert spec.z_.dtype == np.float32
    assert spec.is_compatible(spec_bare)  # missing keys mean the original defaults
    with pytest.raises(SpecificationError, match="normalisation"):
        spec.mmd_squared_to_data(np.zeros((2, 3, 32, 32)))


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"type": "RKMETableSpecification"}, "expected type"),
        ({"z": np.zeros((2, 3, 16, 16)).tolist()}, r"\(K, C, 32, 32\)"),
        ({"beta": [1.0]}, "beta"),
        ({"model_config": {"net_depth": 9}}, "net_depth"),
        ({"n_models": 0}, "n_models"),
        ({"RKME_IMAGE_VERSION": 2}, "RKME_IMAGE_VERSION"),
        ({"kernel": {"type": "laplace", "gamma": 1.0}}, "kernel"),
        ({"kernel": {"type": "gaussian", "gamma": -1.0}}, "kernel"),
    ],
)
def test_from_dict_rejects_malformed_input(change: dict[str, Any], match: str) -> None:
    data = {"z": np.zeros((2, 3, 32, 32)).tolist(), "beta": [0.5, 0.5], **change}

    with pytest.raises(SpecificationError, match=match):
        RKMEImageSpecification.from_dict(data)


@pytest.mark.parametrize(
    "params",
    [
        {"n_points": 0},
        {"max_iter": -1},
        {"learning_rate": 0.0},
        {"model_config": {"net_width": 0}},
        {"n_channels": 0},
        {"kernel": "linear"},
        {"kernel": "gaussian", "gamma": 0.0},
    ],
)
def test_fit_rejects_invalid_parameters(params: dict[str, Any]) -> None:
    with pytest.raises(SpecificationError):
        RKMEImageSpecification(**params).fit(np.zeros((4, 32, 32)))


# ------------------------------------------------------------ Gaussian pixel kernel


def _pixel_mmd2(A: np.ndarray, a: np.ndarray, B: np.ndarray, b: np.ndarray, g: float):
    """Naive squared MMD of two weighted pixel sets under exp(-g ||x - y||^2)."""

    def k(P: np.ndarray, Q: np.ndarray) -> np.ndarray:
        d2 = ((P[:, None, :] - Q[None, :, :]) ** 2).sum(-1)
        return np.exp(-g * d2)

    return float(a @ k(A, A) @ a + b @ k(B, B) @ b - 2 * a @ k(A, B) @ b)


def test_gaussian_kernel_dist_is_the_pixel_mmd(data_a: np.ndarray) -> None:
    a = RKMEImageSpecification(kernel="gaussian", n_points=8, random_state=0)
    b = RKMEImageSpecification(kernel="gaussian", n_points=8, random_state=1)
    a.fit(data_a[:80])
    b.fit(_images(80, classes=(5, 6), seed=3))
    gamma = 1.0 / (32 * 3)  # the default for 3 channels
    assert a.kernel_ == {"type": "gaussian", "gamma": pytest.approx(gamma)}
    assert a.normalization_ is None
    assert a.z_.shape == (8, 3, 32, 32)
    pixels = prepare_images(data_a[:80])
    assert abs(float(a.z_.mean()) - float(pixels.mean())) < 0.1  # pixel values
    expected = _pixel_mmd2(
        a.z_.reshape(8, -1).astype(np.float64),
        a.beta_,
        b.z_.reshape(8, -1).astype(np.float64),
        b.beta_,
        gamma,
    )
    assert a.dist(b) == pytest.approx(expected, rel=1e-9)
    assert a.dist_many([a, b]) == pytest.approx([0.0, expected], abs=1e-12)


def test_gaussian_kernel_tells_class_mixtures_apart() -> None:
    mostly_01 = np.concatenate(
        [_images(90, (0,), seed=1), _images(90, (1,), seed=2), _images(20, (2,), 3)]
    )
    mostly_23 = np.concatenate(
        [_images(90, (2,), seed=4), _images(90, (3,), seed=5), _images(20, (0,), 6)]
    )
    user = np.concatenate([_images(60, (0,), seed=7), _images(60, (1,), seed=8)])
    fit = lambda X, seed: RKMEImageSpecification(  # noqa: E731
        kernel="gaussian", n_points=20, random_state=seed
    ).fit(X)
    spec_01, spec_23, spec_user = fit(mostly_01, 0), fit(mostly_23, 1), fit(user, 2)
    assert spec_user.dist(spec_01) < spec_user.dist(spec_23)
    assert spec_01.mmd_squared_to_data(user) < spec_23.mmd_squared_to_data(user)


def test_gaussian_kernel_round_trips_and_refuses_the_random_cnn_kernel(
    data_a: np.ndarray,
) -> None:
    spec = RKMEImageSpecification(kernel="gaussian", n_points=6, random_state=0)
    spec.fit(data_a[:60])
    data = json.loads(json.dumps(spec.to_dict()))
    assert spec.kernel_ is not None
    assert data["kernel"] == {"type": "gaussian", "gamma": spec.kernel_["gamma"]}
    assert set(data) >= ORIGINAL_KEYS  # still the original's layout
    loaded = load_spec(data)
    assert isinstance(loaded, RKMEImageSpecification)
    assert loaded.kernel_key_ == spec.kernel_key_
    assert loaded.dist(spec) == pytest.approx(0.0, abs=1e-12)
    random_cnn = _small_spec(data_a[:60])
    assert not spec.is_compatible(random_cnn)
    with pytest.raises(SpecificationError, match="different kernels"):
        spec.dist(random_cnn)
    with pytest.raises(SpecificationError, match="no feature map"):
        spec.embedding()


def test_index_ranks_gaussian_image_specs_like_dist(data_a: np.ndarray) -> None:
    from learnware_core.search.index import StatIndex

    specs = [
        RKMEImageSpecification(kernel="gaussian", n_points=6, random_state=i).fit(
            _images(60, classes, seed=i)
        )
        for i, classes in enumerate([(0, 1), (2, 3), (4, 5), (0, 5)])
    ]
    index = StatIndex()
    for i, spec in enumerate(specs):
        index.add(i, spec)
    index.add("random-cnn", _small_spec(data_a[:60]))  # another space: never mixed
    query = RKMEImageSpecification(kernel="gaussian", n_points=6, random_state=9)
    query.fit(_images(60, (2, 3), seed=11))
    found = index.search_single(query, top_k=4)
    assert [r.key for r in found] == list(np.argsort(query.dist_many(specs)))
    assert found[0].key == 1
    assert [r.mmd2 for r in found] == pytest.approx(
        sorted(query.dist_many(specs)), rel=1e-9, abs=1e-12
    )

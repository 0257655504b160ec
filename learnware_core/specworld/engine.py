"""Specification-world engine: train it on learnwares' RKMEs, map specs into it.

Training data are *not* raw data but the RKME reduced points of table learnwares
(:class:`WorldTable`), each with its column descriptions. The objective is
TransTab's vertical-partition contrastive learning (VPCL): the columns of a table
are split into two overlapping parts (contiguous, or after a random permutation)
and the two partial views of a row must embed close to each other and far from the
other rows of the batch (symmetric InfoNCE). A learnware whose columns span two
feature sets therefore teaches the engine how those sets correspond; descriptions
carry the correspondence to columns it has never seen together.

A trained :class:`WorldEngine` maps a table RKME ``(z, beta)`` to the system
specification ``(engine(z), beta)`` (:class:`HeteroMapTableSpecification`) under a
Gaussian kernel whose ``gamma`` is fixed per engine by the median heuristic on its
training points. Its ``version`` is a hash of its weights and configuration, so the
same training (same tables, seed and configuration) gives the same version.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike, NDArray

from learnware_core._validation import as_2d_float
from learnware_core.encoders import TextEncoder
from learnware_core.errors import LearnwareError
from learnware_core.specification.hetero import HeteroMapTableSpecification
from learnware_core.specification.rkme import (
    RKMETableSpecification,
    median_heuristic_gamma,
)
from learnware_core.specworld.columns import ColumnEmbedder, column_texts
from learnware_core.specworld.model import NetConfig, WorldNet

__all__ = [
    "EngineError",
    "TrainConfig",
    "WorldEngine",
    "WorldTable",
    "train_engine",
]

FloatArray = NDArray[np.float64]
Descriptions = Mapping[str, str] | Sequence[str] | None
_FORMAT = 1
_EMBED_BATCH = 512
_CACHE_SIZE = 8


class EngineError(LearnwareError):
    """An engine could not be trained, loaded or applied."""


@dataclass(frozen=True)
class TrainConfig:
    """Optimisation settings (stored with every engine version)."""

    epochs: int = 20
    batch_size: int = 64  # rows per table and step
    lr: float = 1e-3
    weight_decay: float = 1e-4
    temperature: float = 0.1
    overlap: float = 0.25
    max_view_columns: int = 128
    shuffled_views: float = 0.5  # share of steps that split a column shuffle
    random_cut: bool = True  # split anywhere, not in the middle
    structural_views: float = 0.5  # share of steps split between feature spaces
    align_weight: float = 1.0  # weight of ||mean(view a) - mean(view b)||^2
    full_views: float = 0.5  # share of steps that pair the whole row with a part
    column_ids: bool = True  # learn an identity for every training description
    id_dropout: float = 0.25  # share of columns trained without their identity
    tables_per_step: int = 4  # tables whose rows share one contrastive batch
    seed: int = 0


@dataclass
class WorldTable:
    """One learnware's training contribution: its RKME points and column texts."""

    points: FloatArray
    columns: list[str]
    label: str = ""

    @classmethod
    def from_rkme(
        cls, rkme: RKMETableSpecification, descriptions: Descriptions, label: str = ""
    ) -> WorldTable:
        z = np.asarray(rkme.z_, dtype=np.float64)
        return cls(z, column_texts(descriptions, z.shape[1]), label)


@dataclass
class WorldEngine:
    """A trained network with what is needed to use and reproduce it."""

    net: WorldNet
    embedder: ColumnEmbedder
    gamma: float
    train_config: TrainConfig
    metrics: dict[str, Any] = field(default_factory=dict)
    vocabulary: tuple[str, ...] = ()  # descriptions with a learned identity (id i+1)
    _cache: dict[str, FloatArray] = field(
        default_factory=dict, repr=False, compare=False
    )
    _ids: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.Lock = field(
        default_factory=threading.Lock, repr=False, compare=False
    )

    @functools.cached_property
    def version(self) -> str:
        """``"w-"`` + 12 hex digits of the hash of weights and configuration.

        Computed once (every system spec carries it): an engine is not changed
        after :func:`train_engine` returns it.
        """
        digest = hashlib.sha256()
        digest.update(json.dumps(self._header(), sort_keys=True).encode())
        for name, tensor in sorted(self.net.state_dict().items()):
            digest.update(name.encode())
            digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
        return "w-" + digest.hexdigest()[:12]

    @property
    def dim(self) -> int:
        return self.net.config.out_dim

    def _header(self) -> dict[str, Any]:
        return {
            "format": _FORMAT,
            "net": self.net.config.to_dict(),
            "train": asdict(self.train_config),
            "gamma": self.gamma,
            "encoder": self.embedder.name,
            "vocabulary": list(self.vocabulary),
        }

    # ----------------------------------------------------------------- mapping

    def embed(self, X: ArrayLike, descriptions: Descriptions = None) -> FloatArray:
        """World coordinates ``(n, dim)`` of table rows ``X`` (n, d).

        The last few results are cached (by a hash of the rows and the column texts):
        reusing several learnwares on one user's rows embeds them once.
        """
        Xa = as_2d_float(X, allow_nan=True, name="X")
        texts = column_texts(descriptions, Xa.shape[1])
        digest = hashlib.blake2b(Xa.tobytes(), digest_size=16)
        digest.update(repr((Xa.shape, texts)).encode())
        key = digest.hexdigest()
        with self._lock:
            cached = self._cache.get(key)
        if cached is None:
            cached = self._embed(Xa, texts)
            with self._lock:
                self._cache[key] = cached
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.pop(next(iter(self._cache)))
        return cached.copy()

    def _embed(self, Xa: FloatArray, texts: list[str]) -> FloatArray:
        cols, ids = self._columns(texts)
        self.net.eval()
        out = []
        with torch.no_grad():
            for start in range(0, Xa.shape[0], _EMBED_BATCH):
                chunk = torch.as_tensor(
                    Xa[start : start + _EMBED_BATCH], dtype=torch.float32
                )
                out.append(self.net(chunk, cols, ids).numpy())
        return (
            np.concatenate(out).astype(np.float64) if out else np.zeros((0, self.dim))
        )

    def system_spec(
        self, rkme: RKMETableSpecification, descriptions: Descriptions = None
    ) -> HeteroMapTableSpecification:
        """The system specification: ``rkme``'s points mapped, weights kept."""
        if getattr(rkme, "z_", None) is None:
            raise EngineError("the RKME is not fitted")
        spec = HeteroMapTableSpecification(gamma=self.gamma, n_points=rkme.z_.shape[0])
        spec.z_ = np.ascontiguousarray(self.embed(rkme.z_, descriptions))
        spec.beta_ = np.asarray(rkme.beta_, dtype=np.float64).copy()
        spec.gamma_ = self.gamma
        spec.num_points_ = int(rkme.num_points_)
        spec.n_features_in_ = self.dim
        spec.sample_shape_ = (self.dim,)
        spec.n_iter_ = 0
        spec.engine_version_ = self.version
        return spec

    def _columns(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Description embeddings and vocabulary ids (0: not seen in training)."""
        if len(self._ids) != len(self.vocabulary):
            self._ids = {t: k + 1 for k, t in enumerate(self.vocabulary)}
        ids = torch.as_tensor([self._ids.get(t, 0) for t in texts], dtype=torch.long)
        return torch.as_tensor(self.embedder(texts), dtype=torch.float32), ids

    # ---------------------------------------------------------- serialisation

    def to_bytes(self) -> bytes:
        """Weights and configuration (``torch.save``; loads with ``weights_only``)."""
        buffer = io.BytesIO()
        torch.save(
            {
                "header": json.dumps(self._header()),
                "metrics": json.dumps(self.metrics),
                "state": self.net.state_dict(),
            },
            buffer,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(
        cls, data: bytes, *, encoder: TextEncoder | None = None
    ) -> WorldEngine:
        """Load :meth:`to_bytes` output (no code is unpickled)."""
        try:
            blob = torch.load(io.BytesIO(data), weights_only=True)
            header = json.loads(blob["header"])
            metrics = json.loads(blob["metrics"])
        except Exception as exc:  # corrupt file: torch raises many types
            raise EngineError(f"not a specification-world engine file: {exc}") from exc
        if header.get("format") != _FORMAT:
            raise EngineError(f"unsupported engine format {header.get('format')!r}")
        embedder = ColumnEmbedder(encoder)
        if encoder is not None and encoder.name != header["encoder"]:
            raise EngineError(
                f"the engine was trained with encoder {header['encoder']!r}, "
                f"not {encoder.name!r}"
            )
        net = WorldNet(NetConfig(**header["net"]))
        net.load_state_dict(blob["state"])
        return cls(
            net,
            embedder,
            float(header["gamma"]),
            TrainConfig(**header["train"]),
            metrics=metrics,
            vocabulary=tuple(header.get("vocabulary", ())),
        )


# ------------------------------------------------------------------ training


def train_engine(
    tables: Sequence[WorldTable],
    *,
    net_config: NetConfig | None = None,
    train_config: TrainConfig | None = None,
    embedder: ColumnEmbedder | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> WorldEngine:
    """Train an engine by VPCL on the tables' points; deterministic given the seed.

    Parameters
    ----------
    tables : sequence of WorldTable
        At least one table with two or more columns and two or more points.
    progress : callable, optional
        Called as ``progress(epochs_done, epochs)``.
    """
    cfg = train_config or TrainConfig()
    embedder = embedder or ColumnEmbedder()
    usable = [t for t in tables if t.points.ndim == 2 and min(t.points.shape) >= 2]
    if not usable:
        raise EngineError("training needs a table with >= 2 columns and >= 2 points")
    vocabulary = tuple(sorted({c for t in usable for c in t.columns}))
    net_cfg = replace(
        net_config or NetConfig(text_dim=embedder.dim),
        vocab_size=len(vocabulary) if cfg.column_ids else 0,
    )
    if net_cfg.text_dim != embedder.dim:
        raise EngineError(f"text_dim {net_cfg.text_dim} != encoder dim {embedder.dim}")
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    net = WorldNet(net_cfg)
    optimiser = torch.optim.AdamW(
        net.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay
    )
    ids = {t: k + 1 for k, t in enumerate(vocabulary)}
    column_sets = {frozenset(t.columns) for t in usable}
    data = [_prepare(t, embedder, ids, column_sets) for t in usable]
    started = time.perf_counter()
    losses: list[float] = []
    net.train()
    for epoch in range(cfg.epochs):
        epoch_losses = []
        order = rng.permutation(len(data))
        for start in range(0, len(order), cfg.tables_per_step):
            # several tables per step: the other tables' rows are negatives too, so
            # the world separates learnwares, not only the rows of one learnware
            views = [
                _views(data[i], cfg, rng)
                for i in order[start : start + cfg.tables_per_step]
            ]
            fa = torch.cat([net(*view_a) for view_a, _ in views])
            fb = torch.cat([net(*view_b) for _, view_b in views])
            loss = _info_nce(fa, fb, cfg.temperature)
            # InfoNCE is blind to an offset shared by all rows of one view (it
            # shifts every logit of a row equally), which would leave each column
            # set its own island: penalise the offset of the views' means. (Pulling
            # every pair together instead lets the net collapse to one point.)
            offset = fa.mean(dim=0) - fb.mean(dim=0)
            loss = loss + cfg.align_weight * (offset**2).sum()
            optimiser.zero_grad()
            torch.autograd.backward(loss)
            optimiser.step()
            epoch_losses.append(float(loss.detach()))
        losses.append(float(np.mean(epoch_losses)))
        if progress is not None:
            progress(epoch + 1, cfg.epochs)
    train_s = time.perf_counter() - started

    engine = WorldEngine(net, embedder, 1.0, cfg, vocabulary=vocabulary)
    sample = np.concatenate(
        [engine.embed(t.points[:50], t.columns) for t in usable[:200]]
    )
    engine.gamma = float(median_heuristic_gamma(sample, rng=np.random.default_rng(0)))
    engine.metrics = {
        "tables": len(usable),
        "points": int(sum(t.points.shape[0] for t in usable)),
        "columns": len({c for t in usable for c in t.columns}),
        "loss_first_epoch": losses[0],
        "loss_last_epoch": losses[-1],
        "view_match_top1": _view_match(
            net, data, cfg, np.random.default_rng(cfg.seed + 1)
        ),
        "train_s": round(train_s, 2),
    }
    return engine


_Prepared = tuple[
    torch.Tensor, torch.Tensor, torch.Tensor, tuple[NDArray[np.int64], int] | None
]


def _prepare(
    table: WorldTable,
    embedder: ColumnEmbedder,
    ids: dict[str, int],
    column_sets: set[frozenset[str]],
) -> _Prepared:
    """Tensors of a table and its structural split (:func:`_structural_split`)."""
    return (
        torch.as_tensor(table.points, dtype=torch.float32),
        torch.as_tensor(embedder(table.columns), dtype=torch.float32),
        torch.as_tensor([ids.get(c, 0) for c in table.columns], dtype=torch.long),
        _structural_split(table.columns, column_sets),
    )


def _structural_split(
    columns: list[str], column_sets: set[frozenset[str]]
) -> tuple[NDArray[np.int64], int] | None:
    """Columns that travel together across the market, split from the rest.

    A column's signature is the set of the market's column sets that contain it.
    Columns a learnware joined from two feature spaces (two views of the digits,
    raw and engineered flight features) have different signatures, so the split
    separates the spaces and VPCL learns to map one onto the other. ``(order, cut)``:
    the largest signature group first; None if all columns share one signature.
    """
    groups: dict[frozenset[frozenset[str]], list[int]] = {}
    for k, column in enumerate(columns):
        signature = frozenset(s for s in column_sets if column in s)
        groups.setdefault(signature, []).append(k)
    if len(groups) < 2:
        return None
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0]))
    order = np.asarray([k for g in ordered for k in g], dtype=np.int64)
    return order, len(ordered[0])


_Inputs = tuple[torch.Tensor, torch.Tensor, torch.Tensor]


def _views(
    table: _Prepared, cfg: TrainConfig, rng: np.random.Generator
) -> tuple[_Inputs, _Inputs]:
    """Net inputs of two views of a batch of the table's rows."""
    values, cols, col_ids, structural = table
    rows = torch.as_tensor(rng.permutation(values.shape[0])[: cfg.batch_size])
    a, b = _two_views(values.shape[1], cfg, rng, structural)
    # dropped identities teach the net to place columns by meaning alone
    col_ids = col_ids * torch.as_tensor(rng.random(col_ids.shape[0]) >= cfg.id_dropout)
    return (
        (values[rows][:, a], cols[a], col_ids[a]),
        (values[rows][:, b], cols[b], col_ids[b]),
    )


def _two_views(
    d: int,
    cfg: TrainConfig,
    rng: np.random.Generator,
    structural: tuple[NDArray[np.int64], int] | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Two column subsets: the structural split (``structural_views`` of the steps,
    no overlap), else a split at a cut point (the middle, or anywhere with
    ``random_cut``) in column order or after a shuffle (``shuffled_views``),
    overlapping by ``overlap`` of the smaller side."""
    if structural is not None and rng.random() < cfg.structural_views:
        order, cut = structural
        extra = 0
    else:
        shuffle = rng.random() < cfg.shuffled_views
        order = rng.permutation(d) if shuffle else np.arange(d)
        cut = int(rng.integers(1, d)) if cfg.random_cut else d // 2
        extra = math.ceil(cfg.overlap * min(cut, d - cut))
    a, b = order[: cut + extra], order[max(cut - extra, 0) :]
    if len(b) == 0:
        b = a
    if rng.random() < cfg.full_views:  # the whole row against a part of it
        a = order
    views = []
    for view in (a, b):
        if len(view) > cfg.max_view_columns:
            view = rng.choice(view, cfg.max_view_columns, replace=False)
        views.append(torch.as_tensor(np.sort(view)))
    return views[0], views[1]


def _info_nce(fa: torch.Tensor, fb: torch.Tensor, temperature: float) -> torch.Tensor:
    logits = fa @ fb.T / temperature
    target = torch.arange(fa.shape[0])
    ce = torch.nn.functional.cross_entropy
    return (ce(logits, target) + ce(logits.T, target)) / 2


def _view_match(
    net: WorldNet,
    data: list[_Prepared],
    cfg: TrainConfig,
    rng: np.random.Generator,
) -> float:
    """Share of rows whose other view is their nearest neighbour (a health metric)."""
    net.eval()
    hits = total = 0
    with torch.no_grad():
        for i in rng.permutation(len(data))[:100]:
            values, cols, col_ids, structural = data[i]
            a, b = _two_views(values.shape[1], cfg, rng, structural)
            fa = net(values[:, a], cols[a], col_ids[a])
            fb = net(values[:, b], cols[b], col_ids[b])
            hits += int((torch.argmax(fa @ fb.T, dim=1) == torch.arange(len(fa))).sum())
            total += len(fa)
    return round(hits / max(total, 1), 4)

"""The network of a specification-world engine: table rows -> unit vectors.

Each cell of a row becomes a token ``e_c * v + b_c``: ``e_c`` and ``b_c`` are learned
linear functions of the column's description embedding (so a column never seen in
training still gets a token from its meaning) plus, for descriptions seen in
training, a learned identity (as TransTab's column-name token embeddings: many
columns read almost alike, e.g. "Fourier coefficient 3 of 76" and "... 4 of 76",
and the sentence encoder barely tells them apart), ``v`` the cell value after a fixed
``symlog`` squashing (no statistics of anyone's data are needed, and large raw
values cannot dominate). Tokens are pooled into the row's embedding by

* ``"transformer"``: a CLS token and a pre-norm transformer encoder over the cells
  (TransTab's design, Wang & Sun 2022, without its WordPiece vocabulary), or
* ``"deepsets"``: a per-token MLP and a mean (Zaheer et al. 2017), the simpler
  baseline the benchmark compares against.

The output is L2-normalised, so the world's Gaussian kernel has a fixed scale.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import torch
from torch import nn

__all__ = ["NetConfig", "WorldNet", "symlog"]

Arch = Literal["transformer", "deepsets"]


@dataclass(frozen=True)
class NetConfig:
    """Architecture of a :class:`WorldNet` (stored with every engine version)."""

    text_dim: int = 384
    hidden: int = 64
    out_dim: int = 32
    n_layers: int = 2
    n_heads: int = 4
    arch: Arch = "deepsets"  # chosen by benchmarks.spec_world (see docs)
    vocab_size: int = 0  # known column descriptions with a learned identity

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def symlog(x: torch.Tensor) -> torch.Tensor:
    """``sign(x) log(1 + |x|)``: identity-like near 0, logarithmic for large values."""
    return torch.sign(x) * torch.log1p(torch.abs(x))


class WorldNet(nn.Module):
    """Rows ``(B, C)`` of ``C`` described columns -> ``(B, out_dim)`` unit vectors."""

    def __init__(self, config: NetConfig) -> None:
        super().__init__()
        self.config = config
        h = config.hidden
        self.column = nn.Linear(config.text_dim, h)
        self.column_bias = nn.Linear(config.text_dim, h)
        self.column_norm = nn.LayerNorm(h)
        if config.vocab_size:
            # id 0 = a description not seen in training: meaning only, no identity
            self.column_id = nn.Embedding(config.vocab_size + 1, h, padding_idx=0)
            self.column_id_bias = nn.Embedding(config.vocab_size + 1, h, padding_idx=0)
            with torch.no_grad():
                for table in (self.column_id, self.column_id_bias):
                    table.weight.normal_(0.0, 0.02)
                    table.weight[0].zero_()
        if config.arch == "transformer":
            self.cls = nn.Parameter(torch.randn(1, 1, h) * 0.02)
            layer = nn.TransformerEncoderLayer(
                h, config.n_heads, 2 * h, dropout=0.0, batch_first=True, norm_first=True
            )
            self.pool: nn.Module = nn.TransformerEncoder(
                layer, config.n_layers, enable_nested_tensor=False
            )
        elif config.arch == "deepsets":
            self.pool = nn.Sequential(
                nn.Linear(h, 2 * h), nn.ReLU(), nn.Linear(2 * h, h)
            )
        else:
            raise ValueError(f"unknown architecture {config.arch!r}")
        self.out = nn.Sequential(nn.LayerNorm(h), nn.Linear(h, config.out_dim))

    def forward(
        self,
        values: torch.Tensor,
        columns: torch.Tensor,
        ids: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Embed rows.

        Parameters
        ----------
        values : tensor of shape (B, C)
            Cell values (NaN counts as 0).
        columns : tensor of shape (C, text_dim)
            Description embeddings of the ``C`` columns.
        ids : long tensor of shape (C,), optional
            Vocabulary ids of the descriptions (0: unknown).
        """
        direction, bias = self.column(columns), self.column_bias(columns)
        if ids is not None and self.config.vocab_size:
            direction = direction + self.column_id(ids)
            bias = bias + self.column_id_bias(ids)
        direction = self.column_norm(direction)
        v = symlog(torch.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0))
        tokens = v[:, :, None] * direction[None] + bias[None]
        if self.config.arch == "transformer":
            x = torch.cat([self.cls.expand(tokens.shape[0], -1, -1), tokens], dim=1)
            row = self.pool(x)[:, 0]
        else:
            row = self.pool(tokens).mean(dim=1)
        return nn.functional.normalize(self.out(row), dim=-1)

"""Text specification benchmark (the ``text`` section of ``benchmarks.specs``).

Headline ``text_rkme_s``: wall-clock seconds to build an ``RKMETextSpecification``
(K=100) from 1,000 short texts (10-14 words, about 15-18 tokens), **including
encoding** with the offline all-MiniLM-L6-v2, on one thread, with the model already
loaded (it is cached per process; ``text_encoder_load_s`` is the one-off cost of
verifying the weights and loading them, without the torch import). Target: < 10 s.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from benchmarks._timing import time_call

_SUBJECTS = (
    "the new phone",
    "our hotel room",
    "this restaurant",
    "the delivery driver",
    "the football team",
    "my bank account",
    "the train to the airport",
    "the online course",
    "the kitchen blender",
    "the city museum",
)
_VERBS = ("was", "seemed", "turned out", "has been", "felt")
_ADJECTIVES = (
    "surprisingly good",
    "far too expensive",
    "slow and disappointing",
    "friendly and helpful",
    "clean and quiet",
    "completely broken",
    "better than expected",
)
_ENDINGS = (
    "and I would recommend it to friends.",
    "so we will not come back.",
    "although the weather was bad.",
    "for the price we paid last week.",
    "compared with last year.",
    "according to most reviews online.",
)


def short_texts(n: int, seed: int = 0) -> list[str]:
    """``n`` review-like sentences of 10-14 words."""
    rng = np.random.default_rng(seed)
    return [
        " ".join(
            (
                str(rng.choice(_SUBJECTS)).capitalize(),
                str(rng.choice(_VERBS)),
                str(rng.choice(_ADJECTIVES)),
                str(rng.choice(_ENDINGS)),
            )
        )
        for _ in range(n)
    ]


def bench_text(quick: bool) -> dict[str, Any]:
    """RKME for text: 1,000 short texts including encoding, and its parts."""
    import torch  # noqa: F401  (imported here so its import is not counted as load)

    from learnware_core.encoders import MiniLMEncoder
    from learnware_core.specification.rkme import RKMETableSpecification
    from learnware_core.specification.text import RKMETextSpecification

    encoder = MiniLMEncoder()
    start = time.perf_counter()
    encoder.load()
    load_s = time.perf_counter() - start
    encoder.encode(short_texts(8, seed=99))  # warm the kernels

    texts = short_texts(1000)
    repeat = 1 if quick else 3

    def build() -> RKMETextSpecification:
        return RKMETextSpecification(encoder=encoder, random_state=0).fit(texts)

    total = time_call(build, repeat=repeat, warmup=0)
    encode = time_call(lambda: encoder.encode(texts), repeat=repeat, warmup=0)
    E = encoder.encode(texts)
    rkme = time_call(
        lambda: RKMETableSpecification(random_state=0).fit(E), repeat=3, warmup=0
    )
    spec = build()
    n_tokens = float(
        np.mean([len(encoder.load().tokenizer(t)["input_ids"]) for t in texts[:200]])
    )

    print("\n== RKME text, 1,000 short texts, K=100, one thread, model loaded ==")
    print(f"mean tokens per text       {n_tokens:.1f}")
    print(f"model verify + load (s)    {load_s:.3f}")
    print(f"encode only (median s)     {encode.median:.3f}")
    print(f"RKME on embeddings (s)     {rkme.median:.3f}")
    print(f"total incl. encoding (s)   {total.median:.3f}   (target < 10 s)")
    print(f"languages detected         {spec.language_}")
    return {
        "text_rkme_s": round(total.median, 4),
        "text_encode_s": round(encode.median, 4),
        "text_rkme_fit_only_s": round(rkme.median, 4),
        "text_encoder_load_s": round(load_s, 4),
    }

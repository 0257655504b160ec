"""WordNet 3.0 glosses (Debian ``wordnet-base``) grouped into five super-categories.

Each synset's lexicographer file (noun.animal, verb.motion, ...; the second field of a
``data.*`` line) is mapped to one of five super-categories; the gloss (after ``" | "``)
is the text. WordNet's licence: /usr/share/doc/wordnet-base/copyright.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from learnware_core.scenarios import ScenarioDataMissing

DIR = Path("/usr/share/wordnet")
#: WordNet's 45 lexicographer files, by number (the ``lexnames`` order).
LEXNAMES = (
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal",
    "noun.artifact", "noun.attribute", "noun.body", "noun.cognition",
    "noun.communication", "noun.event", "noun.feeling", "noun.food", "noun.group",
    "noun.location", "noun.motive", "noun.object", "noun.person", "noun.phenomenon",
    "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
    "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body",
    "verb.change", "verb.cognition", "verb.communication", "verb.competition",
    "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
    "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather",
    "adj.ppl",
)  # fmt: skip
SUPER_CATEGORIES = (
    "living things and food",
    "objects and substances",
    "mind and communication",
    "actions and events",
    "qualities, places and relations",
)
SHORT_NAMES = ("living things", "objects", "mind", "actions", "qualities")
_SUPER = {
    0: ("noun.animal", "noun.plant", "noun.body", "noun.person", "noun.food"),
    1: ("noun.artifact", "noun.object", "noun.substance", "noun.shape",
        "noun.quantity"),
    2: ("noun.cognition", "noun.communication", "noun.feeling", "noun.motive",
        "verb.cognition", "verb.communication", "verb.emotion", "verb.perception"),
    3: ("noun.act", "noun.event", "noun.process", "noun.phenomenon", "verb.body",
        "verb.change", "verb.competition", "verb.consumption", "verb.contact",
        "verb.creation", "verb.motion", "verb.possession", "verb.social",
        "verb.stative", "verb.weather"),
    4: ("adj.all", "adj.pert", "adj.ppl", "adv.all", "noun.Tops", "noun.attribute",
        "noun.group", "noun.location", "noun.possession", "noun.relation",
        "noun.state", "noun.time"),
}  # fmt: skip
SUPER_OF_LEXFILE = {
    LEXNAMES.index(lex): category for category, lexes in _SUPER.items() for lex in lexes
}


def glosses() -> tuple[list[str], list[int]]:
    """``(glosses, super-category of each)`` of every synset, in file order."""
    texts: list[str] = []
    labels: list[int] = []
    for pos in ("noun", "verb", "adj", "adv"):
        path = DIR / f"data.{pos}"
        if not path.is_file():
            raise ScenarioDataMissing(
                f"WordNet not found in {DIR}: apt-get install wordnet-base"
            )
        with path.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("  ") or " | " not in line:
                    continue  # the licence header
                lexfile = int(line.split(" ", 2)[1])
                texts.append(line.split(" | ", 1)[1].strip())
                labels.append(SUPER_OF_LEXFILE[lexfile])
    return texts, labels


def model() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(sublinear_tf=True), MultinomialNB(alpha=0.1))

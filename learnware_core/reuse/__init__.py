"""Reuse learnwares on a user's task.

Data-free: :class:`JobSelectorReuser` (route each row to one learnware by RKME),
:class:`AveragingReuser` (mean / vote). With a little labelled data:
:class:`EnsemblePruningReuser` (select a subset), :class:`FeatureAugmentReuser`
(learnware outputs as extra features). Heterogeneous feature spaces:
:class:`FeatureAlignReuser` (linear map fitted by MMD between RKMEs); in their own
modules, as they need the sentence encoder or torch (a deploy bundle imports this
package without them):
:class:`~learnware_core.reuse.meaning_align.MeaningAlignReuser` (columns matched by
the meaning of their descriptions, the rest imputed from the RKME) and
:class:`~learnware_core.reuse.world_align.WorldAlignReuser`.

Every reuser takes its learnwares and parameters in ``__init__``, has
``fit(X=None, y=None)`` returning ``self`` and ``predict(X)``; classifiers also
``predict_proba`` where meaningful. A learnware is anything satisfying
:class:`LearnwareLike` (``predict`` + ``spec``); wrap local models in
:class:`LocalLearnware`.
"""

from learnware_core.reuse.averaging import AveragingReuser
from learnware_core.reuse.base import (
    BaseReuser,
    LearnwareLike,
    LocalLearnware,
    ReuseError,
)
from learnware_core.reuse.ensemble_pruning import EnsemblePruningReuser
from learnware_core.reuse.feature_align import FeatureAlignReuser
from learnware_core.reuse.feature_augment import FeatureAugmentReuser
from learnware_core.reuse.job_selector import (
    JobSelectorReuser,
    rkme_mixture_weights,
)

__all__ = [
    "AveragingReuser",
    "BaseReuser",
    "EnsemblePruningReuser",
    "FeatureAlignReuser",
    "FeatureAugmentReuser",
    "JobSelectorReuser",
    "LearnwareLike",
    "LocalLearnware",
    "ReuseError",
    "rkme_mixture_weights",
]

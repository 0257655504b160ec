"""Run untrusted learnware code: cached environments, a bubblewrap sandbox, checks.

* :class:`EnvironmentBuilder` installs a learnware's requirements into an isolated
  virtual environment cached by (requirements, Python) (uv, or venv + pip);
* :func:`run_sandboxed` runs a command without network, with a read-only system,
  a per-run non-root uid and resource limits (:class:`SandboxLimits`);
* :func:`check_learnware` and :func:`predict_learnware` load the model in the
  sandbox (with a compatibility ``learnware`` module) and exchange ``.npy`` arrays;
* :class:`DeployedLearnware` keeps one sandboxed worker per learnware for repeated
  predictions and fine-tuning (``finetune``, then ``save_finetuned`` as a package).
"""

from learnware_core.runtime.deployed import (
    DEPLOY_LIMITS,
    FINETUNE_SECONDS,
    DeployedLearnware,
    default_cache_dir,
)
from learnware_core.runtime.environment import (
    Environment,
    EnvironmentBuilder,
    IndexOptions,
    find_uv,
)
from learnware_core.runtime.errors import (
    EnvironmentBuildError,
    LearnwareRunError,
    RequirementsError,
    SandboxUnavailableError,
)
from learnware_core.runtime.inputs import sample_rkme_inputs
from learnware_core.runtime.model_check import (
    PHASES,
    ModelCheckReport,
    check_model,
)
from learnware_core.runtime.requirements import (
    Requirements,
    parse_conda_environment,
    parse_requirements,
    read_requirements,
)
from learnware_core.runtime.runner import (
    CheckReport,
    check_learnware,
    predict_learnware,
)
from learnware_core.runtime.sandbox import (
    Bind,
    SandboxCommand,
    SandboxLimits,
    SandboxResult,
    run_sandboxed,
    sandbox_available,
    sandbox_command,
)

__all__ = [
    "DEPLOY_LIMITS",
    "FINETUNE_SECONDS",
    "PHASES",
    "Bind",
    "CheckReport",
    "DeployedLearnware",
    "Environment",
    "EnvironmentBuildError",
    "EnvironmentBuilder",
    "IndexOptions",
    "LearnwareRunError",
    "ModelCheckReport",
    "Requirements",
    "RequirementsError",
    "SandboxCommand",
    "SandboxLimits",
    "SandboxResult",
    "SandboxUnavailableError",
    "check_learnware",
    "check_model",
    "default_cache_dir",
    "find_uv",
    "parse_conda_environment",
    "parse_requirements",
    "predict_learnware",
    "read_requirements",
    "run_sandboxed",
    "sample_rkme_inputs",
    "sandbox_available",
    "sandbox_command",
]

"""Learnware environments: requirements, cache keys, builds, locking, failures."""

from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from learnware_core.runtime.environment import (
    Environment,
    EnvironmentBuilder,
    IndexOptions,
)
from learnware_core.runtime.errors import EnvironmentBuildError, RequirementsError
from learnware_core.runtime.requirements import (
    Requirements,
    parse_conda_environment,
    parse_requirements,
    read_requirements,
)

#: Persistent across sessions so reruns reuse the one real environment.
TEST_CACHE = Path(tempfile.gettempdir()) / "bmw-test-envs"
SKLEARN = "scikit-learn\nnumpy\n"  # the official fixture's requirements.txt


@pytest.fixture(scope="session")
def index() -> IndexOptions:
    return IndexOptions.from_pip_config()


@pytest.fixture(scope="session")
def sklearn_env(index: IndexOptions) -> Environment:
    builder = EnvironmentBuilder(TEST_CACHE, index=index)
    return builder.build(parse_requirements(SKLEARN))


# ----------------------------------------------------------------- requirements


def test_parse_requirements_normalises_sorts_and_adds_numpy() -> None:
    text = (
        "# model deps\nScikit_Learn >= 1.3  # pinned\n\n"
        "pandas[parquet]==2.*\\\n ; python_version>'3'\n"
    )

    requirements = parse_requirements(text)

    assert requirements.lines == (
        "numpy",
        'pandas[parquet]==2.* ; python_version > "3"',
        "scikit-learn>=1.3",
    )


def test_parse_requirements_drops_learnware_with_a_note() -> None:
    requirements = parse_requirements("learnware==0.4.0\nnumpy\n")

    assert requirements.lines == ("numpy",)
    assert "sandbox provides `learnware`" in requirements.notes[0]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("-e git+https://github.com/x/y.git#egg=y", "editable installs"),
        ("--editable .", "editable installs"),
        ("./local_pkg", "local paths"),
        ("/abs/pkg.whl", "local paths"),
        ("file:///tmp/pkg.whl", "local paths"),
        ("https://evil.example/pkg.whl", "URLs"),
        ("pkg @ https://evil.example/pkg.whl", "URLs"),
        ("--index-url https://evil.example/simple", "not allowed"),
        ("--extra-index-url http://pypi.org/simple", "not allowed"),
        ("-f https://evil.example/wheels", "not allowed"),
        ("-r other.txt", "nested requirement files"),
        ("--pre", "not supported"),
        ("numpy>>1", "not a requirement specifier"),
    ],
)
def test_parse_requirements_refuses_dangerous_lines(line: str, message: str) -> None:
    with pytest.raises(RequirementsError, match=message) as info:
        parse_requirements(f"numpy\n{line}\n")

    assert "line 2" in str(info.value)


def test_parse_requirements_accepts_and_drops_pypi_index_option() -> None:
    requirements = parse_requirements("-i https://pypi.org/simple\nscipy\n")

    assert requirements.lines == ("numpy", "scipy")
    assert "dropped -i" in requirements.notes[0]


def test_parse_conda_environment_maps_names_and_pins() -> None:
    text = """
name: demo
channels: [pytorch, conda-forge]
dependencies:
  - python=3.8.13=h12debd9_0
  - pip
  - numpy=1.21
  - conda-forge::pytorch>=1.12
  - mkl
  - scikit-learn==1.0.2=py38h
  - pip:
      - lightgbm==3.3.2
"""
    requirements = parse_conda_environment(text)

    assert requirements.lines == (
        "lightgbm==3.3.2",
        "numpy==1.21.*",
        "scikit-learn==1.0.2",
        "torch>=1.12",
    )
    notes = "\n".join(requirements.notes)
    assert "skipped conda-only dependency 'python=3.8.13=h12debd9_0'" in notes
    assert "pytorch>=1.12' to 'torch>=1.12'" in notes


def test_parse_conda_environment_refuses_untranslatable_dependency() -> None:
    with pytest.raises(RequirementsError, match="list it under 'pip:'"):
        parse_conda_environment("dependencies:\n  - 'numpy 1.2 *'\n  - 'a b c'\n")


def test_read_requirements_prefers_environment_yaml(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("scipy\n")
    (tmp_path / "environment.yaml").write_text("dependencies:\n  - pandas\n")

    assert read_requirements(tmp_path).lines == ("numpy", "pandas")


def test_read_requirements_requires_an_environment_file(tmp_path: Path) -> None:
    with pytest.raises(RequirementsError, match="neither"):
        read_requirements(tmp_path)


# ----------------------------------------------------------------- builder


def test_environment_builder_key_ignores_order_and_formatting(tmp_path: Path) -> None:
    builder = EnvironmentBuilder(tmp_path)

    a = builder.key(parse_requirements("numpy\nscikit-learn>=1.0\n"))
    b = builder.key(parse_requirements("Scikit_Learn >= 1.0 # x\n\nnumpy\n"))
    c = builder.key(parse_requirements("scikit-learn>=1.1\n"))

    assert a == b
    assert a != c


def test_environment_builder_builds_real_environment_once(
    sklearn_env: Environment, index: IndexOptions
) -> None:
    builder = EnvironmentBuilder(TEST_CACHE, index=index)
    start = time.perf_counter()

    again = builder.build(parse_requirements(SKLEARN))

    assert time.perf_counter() - start < 1.0
    assert again == sklearn_env
    done = subprocess.run(
        [str(again.python), "-c", "import sklearn, django"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "No module named 'django'" in done.stderr  # not the dock's site-packages
    done = subprocess.run(
        [str(again.python), "-c", "import sklearn; print(sklearn.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip()


class _CountingBuilder(EnvironmentBuilder):
    """Fakes the installer so locking is tested without network or time."""

    calls = 0

    def _install(self, prefix: Path, requirements: Requirements) -> dict[str, object]:
        type(self).calls += 1
        prefix.mkdir(parents=True)
        time.sleep(0.3)
        (prefix / "bin").mkdir()
        return {"fake": True}


def test_environment_builder_concurrent_builds_build_once(tmp_path: Path) -> None:
    _CountingBuilder.calls = 0
    requirements = parse_requirements("numpy\n")
    results: list[Environment] = []

    def build() -> None:
        results.append(_CountingBuilder(tmp_path, uv=None).build(requirements))

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert _CountingBuilder.calls == 1
    assert len(results) == 4
    assert len(set(results)) == 1


def test_environment_builder_redoes_a_crashed_build(tmp_path: Path) -> None:
    _CountingBuilder.calls = 0
    builder = _CountingBuilder(tmp_path, uv=None)
    requirements = parse_requirements("numpy\n")
    partial = builder.path(requirements)
    partial.mkdir(parents=True)
    (partial / "half-written").write_text("x")

    environment = builder.build(requirements)

    assert _CountingBuilder.calls == 1
    assert not (environment.prefix / "half-written").exists()
    assert builder.get(requirements) == environment


def test_environment_builder_reports_installer_message(
    tmp_path: Path, index: IndexOptions
) -> None:
    builder = EnvironmentBuilder(tmp_path, index=index, uv_cache_dir=TEST_CACHE / "uv")
    requirements = parse_requirements("bmw-no-such-package-xyz==1.0\n")

    with pytest.raises(EnvironmentBuildError, match="bmw-no-such-package-xyz") as info:
        builder.build(requirements)

    assert "environment build failed" in str(info.value)
    assert len(info.value.log) <= 4100
    assert builder.get(requirements) is None
    assert not builder.path(requirements).exists()


def test_index_options_from_pip_config_reads_find_links(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PIP_FIND_LINKS", "/opt/test-wheels")

    options = IndexOptions.from_pip_config()

    assert "/opt/test-wheels" in options.find_links
    args = options.args()
    position = args.index("/opt/test-wheels")
    assert args[position - 1] == "--find-links"

"""Which Python runs Pants (from wheel tags) and how interpreter constraints are relaxed."""

from __future__ import annotations

import pytest

from verifier.pants.interface import ConfigError, RuntimeUnavailable
from verifier.pants.pythons import python_for_pants, relax_interpreter_constraints

PANTS_2_16_WHEELS = [
    f"pantsbuild.pants-2.16.0rc2-{tag}-{tag}-{platform}.whl"
    for tag in ("cp37", "cp38", "cp39")
    for platform in ("manylinux2014_x86_64", "manylinux2014_aarch64", "macosx_10_15_x86_64")
] + ["pantsbuild.pants-2.16.0rc2.tar.gz"]


def test_pants_2_16_runs_on_3_9() -> None:
    assert python_for_pants(PANTS_2_16_WHEELS, ["3.9", "3.11"]) == "3.9"
    assert python_for_pants(PANTS_2_16_WHEELS, ["3.9", "3.11"], arch="aarch64") == "3.9"


def test_the_newest_usable_python_wins() -> None:
    wheels = ["p-2.99.0-cp39-cp39-manylinux2014_x86_64.whl", "p-2.99.0-cp311-cp311-manylinux2014_x86_64.whl"]
    assert python_for_pants(wheels, ["3.9", "3.11"]) == "3.11"


def test_no_fitting_python_names_what_the_wheels_need() -> None:
    wheels = ["pantsbuild.pants-2.0.0-cp37-cp37m-manylinux2014_x86_64.whl",
              "pantsbuild.pants-2.0.0-cp38-cp38-manylinux2014_x86_64.whl"]
    with pytest.raises(RuntimeUnavailable, match=r"runs on CPython 3.7, 3.8; the Pants base has 3.11, 3.9"):
        python_for_pants(wheels, ["3.9", "3.11"], pants_version="Pants 2.0.0")
    with pytest.raises(RuntimeUnavailable, match="no manylinux x86_64 wheel"):
        python_for_pants(["pantsbuild.pants-2.0.0-cp39-cp39-macosx_11_0_arm64.whl"], ["3.9"])


IMAGE = ["3.9.2", "3.11.2"]


@pytest.mark.parametrize("constraints, expected", [
    (["CPython==3.11.3"], ("CPython==3.11.*",)),
    (["==3.11.3"], ("CPython==3.11.*",)),
    (["CPython==3.11.2"], ("CPython==3.11.2",)),
    (["CPython>=3.8,<3.12"], ("CPython>=3.8,<3.12",)),
    (["CPython==3.10.*", "CPython==3.11.*"], ("CPython==3.10.*", "CPython==3.11.*")),
    (["CPython==3.10.4", "CPython==3.11.5"], ("CPython==3.10.4", "CPython==3.11.*")),
])
def test_relaxation_only_when_nothing_fits(constraints: list[str], expected: tuple[str, ...]) -> None:
    assert relax_interpreter_constraints(constraints, IMAGE) == expected


@pytest.mark.parametrize("constraints", [["CPython==3.12.1"], ["PyPy==3.9.*"], ["CPython>=3.12"]])
def test_unsatisfiable_constraints_are_refused(constraints: list[str]) -> None:
    with pytest.raises(RuntimeUnavailable, match="no Python in the Pants image"):
        relax_interpreter_constraints(constraints, IMAGE)


def test_garbage_constraint_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        relax_interpreter_constraints(["CPython=>>3"], IMAGE)

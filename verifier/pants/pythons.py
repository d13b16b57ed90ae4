"""Which Pythons a Pants build needs: the one Pants runs on, and the one(s) the sdists are built with.

Pants runs on the interpreter its wheels are built for. On PyPI every ``pantsbuild.pants`` 2.x wheel
is cp37, cp38 or cp39 (2.16: cp37-cp39; 2.18.0 pre-releases: cp39 only), so 3.9 it is; Pants 2.18.0
and later are not on PyPI at all (they are published as GitHub release assets only). The choice is
made from the wheel tags rather than assumed, so a future cp311 wheel would be picked up.

The build's interpreter is chosen by Pants from ``[python] interpreter_constraints``. A constraint
pinned to a patch release the image does not have (``CPython==3.11.3`` with Debian's 3.11.2) is
relaxed to the minor series (``CPython==3.11.*``); nothing else is changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import InvalidWheelFilename, parse_wheel_filename
from packaging.version import Version

from verifier.errors import FetchError
from verifier.pants.interface import ConfigError, RuntimeUnavailable

if TYPE_CHECKING:
    from verifier.upstream.index import IndexClient

__all__ = [
    "PANTS_PROJECT",
    "PantsRelease",
    "find_pants_release",
    "python_for_pants",
    "relax_interpreter_constraints",
]

PANTS_PROJECT = "pantsbuild.pants"
_INTERPRETER_TAG = re.compile(r"cp(\d)(\d+)")
_CONSTRAINT = re.compile(r"^\s*(?P<implementation>[A-Za-z]+)?\s*(?P<specifiers>.*)$")
_PATCH_PIN = re.compile(r"^==\s*(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True, slots=True)
class PantsRelease:
    """A Pants release as PyPI has it: the Python its Linux wheel is for, and that wheel."""

    version: str
    python: str  # "3.9"
    wheel_filename: str
    wheel_sha256: str | None


def _wheel_pythons(filename: str, arch: str) -> set[str]:
    """The CPython X.Y a Linux `arch` wheel is built for ({} for other platforms or names)."""
    try:
        _, _, _, tags = parse_wheel_filename(filename)
    except InvalidWheelFilename:
        return set()
    pythons = set()
    for tag in tags:
        match = _INTERPRETER_TAG.fullmatch(tag.interpreter)
        if match and tag.platform.startswith("manylinux") and tag.platform.endswith("_" + arch):
            pythons.add(f"{match.group(1)}.{match.group(2)}")
    return pythons


def python_for_pants(wheel_filenames: Iterable[str], available: Sequence[str], *, arch: str = "x86_64",
                     pants_version: str = "this Pants release") -> str:
    """The newest CPython X.Y among `available` that one of the Linux `arch` wheels is built for.
    Raises RuntimeUnavailable naming what the wheels need when none fits."""
    wanted: set[str] = set()
    for filename in wheel_filenames:
        wanted |= _wheel_pythons(filename, arch)
    usable = sorted(set(available) & wanted, key=lambda minor: tuple(int(p) for p in minor.split(".")))
    if usable:
        return usable[-1]
    if not wanted:
        raise RuntimeUnavailable(f"{pants_version} has no manylinux {arch} wheel on PyPI")
    raise RuntimeUnavailable(f"{pants_version} runs on CPython {', '.join(sorted(wanted))}; the Pants base has "
                             f"{', '.join(sorted(available))}")


def find_pants_release(pants_version: str, client: IndexClient, available: Sequence[str], *,
                       arch: str = "x86_64") -> PantsRelease:
    """`pants_version` on the index `client`: the Python (of `available`, "3.9", "3.11") to run it
    with and its wheel. Raises RuntimeUnavailable when PyPI does not have it or no Python fits."""
    try:
        files = client.files_for_version(PANTS_PROJECT, pants_version)
    except FetchError as exc:
        newer = Version(pants_version) >= Version("2.18.0") if _is_version(pants_version) else False
        hint = (" (Pants 2.18.0 and later are published only as GitHub release assets, which this "
                "builder cannot fetch)") if newer else ""
        raise RuntimeUnavailable(f"Pants {pants_version} is not on the index{hint}: {exc}") from exc
    python = python_for_pants((file.filename for file in files), available, arch=arch,
                              pants_version=f"Pants {pants_version}")
    for file in files:
        if python in _wheel_pythons(file.filename, arch):
            return PantsRelease(version=pants_version, python=python, wheel_filename=file.filename,
                                wheel_sha256=file.sha256)
    raise AssertionError("unreachable: python_for_pants chose a Python no wheel has")  # pragma: no cover


def _is_version(text: str) -> bool:
    try:
        Version(text)
    except ValueError:
        return False
    return True


def _parse_constraint(constraint: str) -> tuple[str, SpecifierSet]:
    """("CPython", <SpecifierSet>) of one Pants interpreter constraint (the name defaults to CPython)."""
    match = _CONSTRAINT.match(constraint)
    implementation = (match.group("implementation") if match else None) or "CPython"
    try:
        return implementation, SpecifierSet(match.group("specifiers") if match else constraint)
    except InvalidSpecifier as exc:
        raise ConfigError(f"not a Pants interpreter constraint: {constraint!r}") from exc


def _satisfied(constraint: str, versions: Sequence[str]) -> bool:
    implementation, specifiers = _parse_constraint(constraint)
    return implementation == "CPython" and any(specifiers.contains(v, prereleases=True) for v in versions)


def relax_interpreter_constraints(constraints: Sequence[str], available: Sequence[str]) -> tuple[str, ...]:
    """Interpreter constraints some Python of `available` (full versions, "3.11.2") satisfies.

    The constraints (alternatives: any one may match) come back unchanged when one is satisfied;
    else each ``==X.Y.Z`` pin that a Python of the same X.Y would satisfy is widened to ``==X.Y.*``.
    Raises RuntimeUnavailable when even that leaves every alternative unsatisfied.
    """
    if any(_satisfied(constraint, available) for constraint in constraints):
        return tuple(constraints)
    relaxed = []
    for constraint in constraints:
        implementation, specifiers = _parse_constraint(constraint)
        pins = [_PATCH_PIN.match(str(spec)) for spec in specifiers]
        if len(pins) == 1 and pins[0] is not None:
            major, minor, _ = pins[0].groups()
            widened = f"{implementation}=={major}.{minor}.*"
            if _satisfied(widened, available):
                constraint = widened  # noqa: PLW2901 - the constraint, widened
        relaxed.append(constraint)
    if any(_satisfied(constraint, available) for constraint in relaxed):
        return tuple(relaxed)
    raise RuntimeUnavailable(f"no Python in the Pants image ({', '.join(available)}) satisfies the interpreter "
                             f"constraints {list(constraints)}")

"""The recipe package's types: how a release was built, as inferred and as rebuilt.

- `InferredRecipe`: what the tree's CI configuration says (frontend, Python, environment, commands),
  every value a `Setting` with its origin `file:line`;
- `EpochChoice`: the SOURCE_DATE_EPOCH of a rebuild and where it came from;
- `Fingerprints`: what the published file itself says about how it was built;
- `Recipe`: the settings of one rebuild, which `--search` varies.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Frontend = Literal["build", "flit", "hatch", "poetry", "pdm", "setup.py", "uv"]


@dataclass(frozen=True)
class Setting:
    """One inferred setting and where it was read (`file:line`, the file relative to the tree)."""

    name: str
    value: str
    origin: str
    note: str = ""


@dataclass(frozen=True)
class Command:
    """A shell command run before the build, where it was written, and the directory it runs in."""

    text: str
    origin: str
    working_directory: str | None = None  # relative to the tree; "" the root; None unknown


@dataclass(frozen=True)
class InferredRecipe:
    """How the published sdist was most likely built; all empty when nothing was found.

    - `frontend`: "build" (`python -m build`, `pyproject-build`, the hynek and pypa build actions),
      "flit", "hatch", "poetry", "pdm", "setup.py", "uv" (`uv build`), or None;
    - `python`: "3.12" (as written, "3.11.9" too) or None when no single version is named;
    - `env`: the literal environment variables the build command sees, innermost definition winning;
    - `prebuild`: the shell commands run before the build in the same job, in order;
    - `build_command`: the build command exactly as written (after Makefile variable and tox
      `{posargs}` substitution), or `uses: OWNER/ACTION@REF` for a build action;
    - `settings`: every inferred value with its origin `file:line` (`job`, `via`, `frontend`,
      `build_command`, `working_directory`, `option.*`, `prebuild`, `env.*`, `python`);
    - `notes`: what was ambiguous, skipped or unreadable.
    """

    frontend: Frontend | None = None
    python: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    prebuild: list[Command] = field(default_factory=list)
    build_command: str | None = None
    settings: list[Setting] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """Whether a build command was found."""
        return self.build_command is not None

    def setting(self, name: str) -> Setting | None:
        """The first setting called `name` (`job`, `python`, `env.NAME`, `working_directory`, …)."""
        return next((setting for setting in self.settings if setting.name == name), None)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form for the report."""
        return {
            "frontend": self.frontend,
            "python": self.python,
            "env": dict(self.env),
            "prebuild": [dataclasses.asdict(command) for command in self.prebuild],
            "build_command": self.build_command,
            "settings": [dataclasses.asdict(setting) for setting in self.settings],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class EpochChoice:
    """The SOURCE_DATE_EPOCH of a rebuild and where it came from."""

    value: int | None  # None: build without SOURCE_DATE_EPOCH
    origin: str  # "tag", "infer:<how>", "unset", "given"
    detail: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"value": self.value, "origin": self.origin, "detail": self.detail}


@dataclass(frozen=True)
class Fingerprints:
    """What the published file says about how it was built; `evidence` names each finding and why."""

    build_time: int | None = None
    umask: str | None = None
    metadata_version: str | None = None
    windows: bool = False
    single_stamp: bool = False  # every file shares one mtime (or a backend's fixed stamp): SOURCE_DATE_EPOCH shows
    file_mtimes: list[int] = field(default_factory=list)  # of every file member, in order
    evidence: list[dict[str, Any]] = field(default_factory=list)
    python: str | None = None  # "3.8": the Python the sdist's bytecode names (magic number or file name)
    # "3.9": the Python a console script of the egg-info's entry_points.txt is named after (pip's
    # `pip3.9`): trusted only when the rebuild's entry_points.txt differs (recipe/candidates.py).
    script_python: str | None = None
    tar_writer: str | None = None  # "cpython-3.8"/"cpython-3.7": every tar header is that CPython's tarfile's
    # Fields of PKG-INFO a backend writes on its own, which date it (recipe/backend_versions.py):
    # "description-header", "platform-unknown", "license-unknown", "license-file".
    pkg_info_markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipe:
    """The settings of one rebuild: what `--search` varies between attempts."""

    epoch: EpochChoice
    cutoff: datetime
    cutoff_origin: str
    umask: str | None = None
    python: str | None = None  # None: the default (or what --python says)
    env: tuple[tuple[str, str], ...] = ()
    frontend: str | None = None  # None: PyPA build; "flit": `flit build`; "setup.py": `python setup.py sdist`
    why: str = "the default recipe"
    # The tarfile module the build writes the sdist with: None the image Python's own; "cpython-3.8",
    # "cpython-3.7": that CPython's (device fields written as "0000000", as before bpo-45863).
    tar_writer: str | None = None
    pins: tuple[str, ...] = ()  # build requirements the recipe pins ("setuptools==56.1.0": a dated backend)
    prebuild: tuple[str, ...] = ()  # release-workflow commands run in the build container before the build
    extra_requirements: tuple[str, ...] = ()  # what the release installed for the build tool, pinned like the rest
    # The build emulates a Windows release machine (in the container): None not; "lf-checkout" a checkout
    # as committed; "crlf-checkout" git's core.autocrlf=true checkout (build/windows.py).
    windows: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source_date_epoch": self.epoch.as_dict(),
            "requirements_cutoff": self.cutoff.isoformat(),
            "requirements_cutoff_origin": "the time given" if self.cutoff_origin == "given" else self.cutoff_origin,
            "umask": self.umask or ("000" if self.windows else "022"),  # Windows has none
            "python": self.python,
            "env": dict(self.env),
            "frontend": self.frontend or "build",
            "why": self.why,
            "tar_writer": self.tar_writer,
            "pins": list(self.pins),
            "prebuild": list(self.prebuild),
            "extra_requirements": list(self.extra_requirements),
            "windows": self.windows,
        }

    def key(self) -> tuple[object, ...]:
        return (
            self.epoch.value, self.cutoff, self.umask, self.python, self.env, self.frontend,
            self.tar_writer, self.pins, self.prebuild, self.extra_requirements, self.windows,
        )

"""A builder: a recipe (builders/<name>/: an image layer and the script run inside) and the host side
that prepares its inputs, runs it in a container and hands back the rebuilt sdist."""

from __future__ import annotations

import abc
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from verifier.errors import BuildError, RuntimeUnavailable
from verifier.runtime.interface import ContainerRuntime
from verifier.source.interface import ProjectInfo

__all__ = ["BuildError", "BuildRequest", "BuildResult", "Builder", "RuntimeUnavailable", "recipes_dir"]

Progress = Callable[[str], None]


def recipes_dir() -> Path:
    """The builder recipes shipped in the package (verifier/builders/; VERIFIER_BUILDERS_DIR overrides)."""
    if os.environ.get("VERIFIER_BUILDERS_DIR"):
        return Path(os.environ["VERIFIER_BUILDERS_DIR"])
    here = Path(__file__).resolve().parents[1] / "builders"
    if not here.is_dir():
        raise RuntimeUnavailable(f"builder recipes not found at {here}; set VERIFIER_BUILDERS_DIR")
    return here


@dataclass(frozen=True)
class BuildRequest:
    package: str
    checkout: Path  # the clean checkout, mounted read-only
    project: ProjectInfo
    source_date_epoch: int | None
    python_version: str  # "3.11"
    cutoff: datetime  # build requirements as they were then (the upload time)
    build_index_url: str
    pins: tuple[str, ...]
    workdir: Path
    cache_dir: Path
    base_image: str | None
    allow_unpinned: bool = False
    timeout_s: int = 1800
    build_user: str | None = None  # "uid:gid[:user:group]"
    labels: tuple[tuple[str, str], ...] = ()
    umask: str | None = None  # octal text, e.g. "002": the publisher's umask
    env: tuple[tuple[str, str], ...] = ()  # variables the release process set for the build
    builder_options: tuple[str, ...] = ()  # the publisher's own options for the build tool
    frontend: str | None = None  # None: PyPA build; "flit": flit's own `flit build`; "setup.py": `python setup.py sdist`
    # "sdist"; "wheel": a wheel from the tree; "wheel-from-sdist": a wheel from `sdist` (the route pip takes)
    target: str = "sdist"
    sdist: Path | None = None  # the rebuilt sdist a wheel-from-sdist build unpacks (mounted read-only)
    tar_writer: str | None = None  # "cpython-3.8"/"cpython-3.7": write the sdist with that CPython's tarfile
    prebuild: tuple[str, ...] = ()  # shell commands run in the container (no network) before the build
    extra_requirements: tuple[str, ...] = ()  # installed for the build tool, pinned as of the cut-off
    windows: str | None = None  # "lf-checkout"/"crlf-checkout": emulate a Windows release machine (sdist only)
    # The container's glibc (its base image's Debian suite): build requirements are resolved and
    # downloaded for it and `python_version`, so that their platform wheels install there.
    glibc: tuple[int, int] = (2, 36)


@dataclass
class BuildResult:
    sdist: Path  # the built file: the sdist, or the wheel of a wheel target
    builder: str
    image_id: str
    base_image: str | None
    log_path: Path
    python: str | None = None
    requirements: list[dict[str, Any]] = field(default_factory=list)
    environment: dict[str, Any] = field(default_factory=dict)
    network: bool = False  # whether the build step had network
    deviations: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.builder,
            "image": self.image_id,
            "base_image": self.base_image,
            "python": self.python,
            "build_requirements": self.requirements,
            "environment": self.environment,
            "network": self.network,
            "deviations": self.deviations,
            "notes": self.notes,
            "log": str(self.log_path),
        }


class Builder(abc.ABC):
    name: str

    @classmethod
    @abc.abstractmethod
    def detects(cls, tree: Path) -> bool:
        """Whether this builder is the one for the tree (auto-detection)."""

    @abc.abstractmethod
    def build(self, request: BuildRequest, runtime: ContainerRuntime, progress: Progress) -> BuildResult:
        """Rebuild the sdist (or the wheel `request.target` names). Raises BuildError (with the log
        tail) when the build fails; BadInput for a target the builder does not make."""

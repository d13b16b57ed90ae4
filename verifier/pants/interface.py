"""What the Pants builder reads from a repository and hands back: frozen dataclasses, and its errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from verifier.errors import BadInput, BuildError, ConfigError, RuntimeUnavailable, UsageError

__all__ = [
    "BadInput",
    "BuildError",
    "BuildUser",
    "ConfigError",
    "Deviation",
    "PantsDistribution",
    "PantsImage",
    "RuntimeUnavailable",
    "UsageError",
]

_ACCOUNT_NAME = re.compile(r"[a-z_][a-z0-9_-]{0,31}")


@dataclass(frozen=True, slots=True)
class PantsDistribution:
    """One ``python_distribution`` target found in a BUILD file (read, never executed).

    `address` is the Pants address (``src/ai/backend/common:dist``); `artifact_name` the ``name`` of
    its ``python_artifact(...)`` / ``setup_py(...)`` (None when it is not a literal); `version_expr`
    the source text of its ``version=`` argument (None when absent: the version then comes from
    elsewhere, e.g. a setup-kwargs plugin); `path` the BUILD file, relative to the repository root.
    """

    address: str
    artifact_name: str | None
    version_expr: str | None
    path: Path


@dataclass(frozen=True, slots=True)
class Deviation:
    """One change from the tagged Pants configuration that the rebuild makes, and why.

    `what` names the option as Pants spells it (``[python].interpreter_constraints``); `original`
    and `replacement` are display strings (``(unset)`` when the configuration does not set it).
    """

    what: str
    original: str
    replacement: str
    why: str


@dataclass(frozen=True, slots=True)
class BuildUser:
    """The account a build runs as; its names are recorded as owner names in the sdist's tar headers."""

    uid: int = 1000
    gid: int = 1000
    user: str = "builder"
    group: str = "builder"

    def __post_init__(self) -> None:
        if not (0 < self.uid < 2**31 and 0 <= self.gid < 2**31):
            raise UsageError(f"build user ids must be a non-root uid and a gid: {self.uid}:{self.gid}")
        for name in (self.user, self.group):
            if not _ACCOUNT_NAME.fullmatch(name):
                raise UsageError(f"not a valid account name: {name!r}")

    @classmethod
    def parse(cls, text: str) -> BuildUser:
        """``"1001:123:runner:docker"`` (``uid:gid:user:group``)."""
        parts = text.split(":")
        if len(parts) != 4 or not parts[0].isdigit() or not parts[1].isdigit():
            raise UsageError(f"build user must be UID:GID:USER:GROUP, e.g. 1001:123:runner:docker: {text!r}")
        return cls(int(parts[0]), int(parts[1]), parts[2], parts[3])

    @property
    def home(self) -> str:
        """The home directory the image gives the user."""
        return f"/home/{self.user}"

    @property
    def ids(self) -> str:
        """``uid:gid``, as a container run's ``--user``."""
        return f"{self.uid}:{self.gid}"

    def __str__(self) -> str:
        return f"{self.uid}:{self.gid}:{self.user}:{self.group}"


@dataclass(frozen=True, slots=True)
class PantsImage:
    """A built Pants builder image and what it holds."""

    image_id: str  # sha256:<64 hex>
    ref: str  # localhost/verifier-builder-pants:<key>
    pants_version: str
    pants_python: str  # "3.9": the interpreter Pants runs on
    build_pythons: tuple[str, ...]  # full versions of every Python in the image, e.g. ("3.9.2", "3.11.2")
    pex_known_version: str  # vX|linux_<arch>|<sha256>|<size> of /opt/pex-tool/pex
    pex_same_as_official: str  # "yes", "no" or "unknown": same bytes as the GitHub release Pants knows
    build_user: BuildUser

    @property
    def pex_version(self) -> str:
        """``vX.Y.Z`` of the pex tool."""
        return self.pex_known_version.split("|", 1)[0]

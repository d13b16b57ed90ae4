"""What a container runtime is asked to do, and what it answers.

A build runs as one `RunSpec`: an image, a command, bind mounts, an environment and limits. The
runtime runs it sandboxed (no network unless asked, every capability dropped, no privilege gain,
read-only root with tmpfs scratch, memory and process limits, a fixed hostname, never a pull, a
wall-clock limit that really kills the container) and saves everything the container printed to a
log file the caller names.

Host-specific flags (another OCI runtime, explicit ulimits, ...) are configuration: the caller hands
them in as `extra_args` and they are added to every `run` and `build`, never hard-coded here.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from verifier.errors import BuildError, RuntimeUnavailable

__all__ = [
    "BuildError",
    "ContainerRuntime",
    "Mount",
    "RunResult",
    "RunSpec",
    "RuntimeUnavailable",
]


@dataclass(frozen=True, slots=True)
class Mount:
    """A host path bind-mounted into the container (read-only unless said otherwise)."""

    source: Path
    target: str
    read_only: bool = True


@dataclass(frozen=True, slots=True)
class RunSpec:
    """One sandboxed container run.

    `tmpfs` entries are a mount point optionally followed by ``:options``, e.g. ``"/tmp"`` or
    ``"/build:exec,size=2g"``; when `user` is set each tmpfs is made writable by that user. `user`
    is ``"uid:gid"`` or a name known in the image; None keeps the image's default user. `network`
    False means no network interface at all.
    """

    image: str
    command: Sequence[str]
    mounts: Sequence[Mount] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    workdir: str | None = None
    user: str | None = None
    network: bool = False
    timeout_s: float = 3600.0
    memory: str = "4g"
    pids_limit: int = 1024
    read_only_root: bool = True
    tmpfs: Sequence[str] = ("/tmp",)
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RunResult:
    """How a run ended. `exit_code` is the container's (or the CLI's when it could not start it);
    when `timed_out` is true the container was killed and `exit_code` says nothing about the build."""

    exit_code: int
    timed_out: bool
    duration_s: float
    log_path: Path  # stdout and stderr of the container, interleaved, as printed

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


class ContainerRuntime(abc.ABC):
    """A container engine driven through its command-line client."""

    #: Short name of the engine, e.g. "podman" or "docker".
    name: str

    @abc.abstractmethod
    def version(self) -> str:
        """The client's version string, e.g. "4.3.1". Raises RuntimeUnavailable."""

    @abc.abstractmethod
    def run(self, spec: RunSpec, log_path: Path) -> RunResult:
        """Run `spec` to completion or to its time limit, saving its output to `log_path`.

        A non-zero exit of the command is a result, not an error; RuntimeUnavailable is raised only
        when the client itself cannot be started.
        """

    @abc.abstractmethod
    def image_id(self, ref: str) -> str | None:
        """The full id (``sha256:<64 hex>``) of a local image, or None when there is no such image."""

    @abc.abstractmethod
    def build_image(
        self,
        context_dir: Path,
        containerfile: Path,
        tag: str,
        *,
        build_args: Mapping[str, str] | None = None,
        network: bool = False,
        mounts: Sequence[Mount] = (),
        log_path: Path,
        timeout_s: float = 1800.0,
    ) -> str:
        """Build an image, tag it, return its id. `mounts` are visible to RUN steps only (e.g. a CA
        bundle) and never end up in a layer. Raises RuntimeUnavailable when the build fails."""

    @abc.abstractmethod
    def import_rootfs(self, tar_path: Path, tag: str, *, timeout_s: float = 600.0) -> str:
        """Make an image from a root filesystem tarball, tag it, return its id."""

    @abc.abstractmethod
    def remove_image(self, ref: str) -> None:
        """Remove a local image by id or tag; a missing image is not an error."""

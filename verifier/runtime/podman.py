"""Podman, driven through its CLI (rootful or rootless)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from verifier.runtime.cli_runtime import CliRuntime, volume_argument
from verifier.runtime.interface import Mount

__all__ = ["PodmanRuntime"]


class PodmanRuntime(CliRuntime):
    """Podman. Differs from docker in three places: `--read-only` would add writable tmpfs mounts on
    /run, /tmp and /var/tmp unless told not to; a tmpfs is given to the run's user with ``U``; and
    `build` can bind-mount host files into RUN steps."""

    name = "podman"
    _read_only_extra = ("--read-only-tmpfs=false",)

    def __init__(self, executable: str = "podman", *, extra_args: Sequence[str] = (),
                 global_args: Sequence[str] = (), environ: Mapping[str, str] | None = None) -> None:
        super().__init__(executable, extra_args=extra_args, global_args=global_args, environ=environ)

    def _tmpfs_argument(self, entry: str, owned_by_user: bool) -> str:
        """Podman 4.3 ignores ``mode=`` on a tmpfs; its ``U`` option makes the mount owned by the
        run's user instead (what a non-root build needs for /build)."""
        if not owned_by_user:
            return entry
        options = entry.partition(":")[2].split(",")
        if "U" in options:
            return entry
        return entry + (",U" if ":" in entry else ":U")

    def _build_mount_args(self, mounts: Sequence[Mount]) -> list[str]:
        args: list[str] = []
        for mount in mounts:
            args += ["-v", volume_argument(mount)]
        return args

"""Docker, driven through its CLI.

Untested on the machines this project is developed on (they have the docker client but no engine).
It uses exactly the flags the podman implementation uses, which the docker CLI documents with the
same meaning. One real difference: `docker build` cannot bind-mount host files into RUN steps, so
an image build that asks for mounts (e.g. a CA bundle for a TLS-intercepting proxy) is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from verifier.logs import log_tail
from verifier.runtime.cli_runtime import CliRuntime
from verifier.runtime.interface import Mount, RuntimeUnavailable

__all__ = ["DockerRuntime"]


class DockerRuntime(CliRuntime):
    """The docker CLI talking to a Docker engine."""

    name = "docker"

    def __init__(self, executable: str = "docker", *, extra_args: Sequence[str] = (),
                 global_args: Sequence[str] = (), environ: Mapping[str, str] | None = None) -> None:
        super().__init__(executable, extra_args=extra_args, global_args=global_args, environ=environ)

    def engine_check(self) -> None:
        """`docker version` asks the engine for its version: it fails when no engine answers."""
        completed = self._call("version", "--format", "{{.Server.Version}}")
        if completed.returncode != 0 or not completed.stdout.strip():
            detail = log_tail(completed.stderr or completed.stdout, 1, separator=" / ", default="no output")
            raise RuntimeUnavailable(f"the docker engine does not answer: {detail}")

    def _build_mount_args(self, mounts: Sequence[Mount]) -> list[str]:
        if mounts:
            raise RuntimeUnavailable("docker build cannot mount host files into RUN steps; "
                                     "build without extra mounts (e.g. no custom CA bundle) or use podman")
        return []

"""Find a container runtime that works on this host.

Host-specific options are configuration: the caller reads them (environment variable
`VERIFIER_RUNTIME_ARGS`, a config file) and passes them as `extra_args`; `runtime_args_from_env`
parses the variable. On a machine whose podman needs runc and explicit ulimits that is e.g.
``VERIFIER_RUNTIME_ARGS="--runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"``.
"""

from __future__ import annotations

import os
import shlex
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from verifier.errors import UsageError
from verifier.logs import log_tail
from verifier.runtime.cli_runtime import CliRuntime
from verifier.runtime.docker import DockerRuntime
from verifier.runtime.interface import ContainerRuntime, RunSpec, RuntimeUnavailable
from verifier.runtime.podman import PodmanRuntime

__all__ = ["RUNTIME_ARGS_VARIABLE", "check_can_run", "detect_runtime", "runtime_args_from_env"]

RUNTIME_ARGS_VARIABLE = "VERIFIER_RUNTIME_ARGS"
_RUNTIMES: dict[str, Callable[..., CliRuntime]] = {"podman": PodmanRuntime, "docker": DockerRuntime}
_SETUP_HINT = (f"on a host whose podman needs other options set {RUNTIME_ARGS_VARIABLE} "
               "or run scripts/setup-host.sh as root")


def runtime_args_from_env(environ: Mapping[str, str] | None = None) -> list[str]:
    """The extra run/build options in `VERIFIER_RUNTIME_ARGS` (shell-quoted), [] when unset."""
    value = (os.environ if environ is None else environ).get(RUNTIME_ARGS_VARIABLE, "")
    try:
        return shlex.split(value)
    except ValueError as exc:
        raise UsageError(f"{RUNTIME_ARGS_VARIABLE} is not valid shell quoting: {exc}") from exc


def detect_runtime(preferred: str | None = None, extra_args: Sequence[str] = (), *,
                   probe_image: str | None = None) -> ContainerRuntime:
    """The runtime to use: `preferred` ("podman" or "docker"), or the first of podman, docker whose
    client answers and whose engine is reachable. With `probe_image` it must also run a container
    from that image under the full sandbox. Raises RuntimeUnavailable naming what failed for each."""
    if preferred is not None and preferred not in _RUNTIMES:
        raise UsageError(f"unknown container runtime {preferred!r}: choose podman or docker")
    names = [preferred] if preferred else list(_RUNTIMES)
    failures: list[str] = []
    for name in names:
        runtime = _RUNTIMES[name](extra_args=extra_args)
        try:
            runtime.version()
            runtime.engine_check()
            if probe_image is not None:
                check_can_run(runtime, probe_image)
        except RuntimeUnavailable as exc:
            failures.append(f"{name}: {exc}")
            continue
        return runtime
    raise RuntimeUnavailable("no usable container runtime (" + "; ".join(failures) + ")")


def check_can_run(runtime: ContainerRuntime, image: str, timeout_s: float = 120.0) -> None:
    """Run ``true`` in `image` with the same sandbox a build gets; raise RuntimeUnavailable with the
    engine's last message when that fails (e.g. the wrong OCI runtime, ulimits the host refuses)."""
    with tempfile.TemporaryDirectory(prefix="verifier-probe-") as scratch:
        log_path = Path(scratch) / "probe.log"
        result = runtime.run(RunSpec(image=image, command=["true"], timeout_s=timeout_s,
                                     memory="256m", pids_limit=64), log_path)
        if result.ok:
            return
        last = log_tail(log_path, 1, separator=" / ", max_chars=300, default="no output")
    reason = "timed out" if result.timed_out else f"exit {result.exit_code}"
    raise RuntimeUnavailable(f"{runtime.name} cannot run a container ({reason}: {last}); {_SETUP_HINT}")

"""The part of podman and docker that is the same: a Docker-compatible command-line client.

Both clients take the same `run`, `build`, `import`, `kill`, `rm` and `image inspect` arguments for
everything used here; `podman.py` and `docker.py` only say what differs.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

from verifier.commandlog import logged
from verifier.errors import UsageError
from verifier.logs import log_tail
from verifier.runtime.interface import (
    ContainerRuntime,
    Mount,
    RunResult,
    RunSpec,
    RuntimeUnavailable,
)

__all__ = ["CliRuntime", "client_environment", "volume_argument"]

# Host variables a container client may need: where its state and configuration live, how it reaches
# its engine or a registry. Everything else (PIP_*, PYTHON*, ...) stays out of the client's environment.
_PASSED_VARIABLES = ("PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "XDG_RUNTIME_DIR",
                     "XDG_CONFIG_HOME", "XDG_DATA_HOME", "REGISTRY_AUTH_FILE",
                     "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy")
_PASSED_PREFIXES = ("CONTAINERS_", "DOCKER_", "BUILDAH_", "PODMAN_", "STORAGE_")

_QUICK_TIMEOUT_S = 60.0  # inspect, kill, rm, --version
_KILL_GRACE_S = 30.0  # how long the client may take to return once its container is killed
_HEX64 = re.compile(r"(?:sha256:)?([0-9a-f]{64})")


def client_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a container client runs with: the host's container-related variables only."""
    source = os.environ if environ is None else environ
    env = {k: v for k, v in source.items()
           if k in _PASSED_VARIABLES or k.startswith(_PASSED_PREFIXES)}
    env.setdefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    env["LC_ALL"] = "C"
    return env


def volume_argument(mount: Mount) -> str:
    """The ``-v`` value for a bind mount: ``SOURCE:TARGET:ro|rw``."""
    source = str(mount.source.resolve())
    for part in (source, mount.target):
        if ":" in part or "," in part:
            raise UsageError(f"cannot mount a path containing ':' or ',': {part!r}")
    return f"{source}:{mount.target}:{'ro' if mount.read_only else 'rw'}"


class CliRuntime(ContainerRuntime):
    """A runtime driven through a Docker-compatible CLI.

    `extra_args` are host-specific options (e.g. ``--runtime runc --ulimit nofile=1024:1024``) put
    right after the ``run`` and ``build`` sub-commands; `global_args` go before every sub-command.
    """

    name = "cli"
    #: Options that make `--read-only` mean the same on every engine (podman adds tmpfs mounts by default).
    _read_only_extra: tuple[str, ...] = ()

    def __init__(self, executable: str, *, extra_args: Sequence[str] = (),
                 global_args: Sequence[str] = (), environ: Mapping[str, str] | None = None) -> None:
        self.executable = executable
        self.extra_args = tuple(extra_args)
        self.global_args = tuple(global_args)
        self._env = client_environment(environ)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.executable!r}, extra_args={list(self.extra_args)!r})"

    # -- plumbing -------------------------------------------------------------------------------

    def _argv(self, *args: str) -> list[str]:
        return [self.executable, *self.global_args, *args]

    def _call(self, *args: str, timeout_s: float = _QUICK_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        """Run a short client command and capture its output; a missing client is RuntimeUnavailable."""
        argv = self._argv(*args)
        try:
            with logged(argv):
                return subprocess.run(argv, env=self._env, stdin=subprocess.DEVNULL, capture_output=True,
                                      text=True, errors="replace", timeout=timeout_s, check=False)
        except FileNotFoundError as exc:
            raise RuntimeUnavailable(f"{self.executable} is not installed (not found on PATH)") from exc
        except subprocess.TimeoutExpired as exc:
            raise RuntimeUnavailable(f"`{' '.join(argv[:3])}` did not answer within {timeout_s:.0f} s") from exc
        except OSError as exc:
            raise RuntimeUnavailable(f"cannot start {self.executable}: {exc}") from exc

    def _call_logged(self, args: Sequence[str], log_path: Path, timeout_s: float,
                     container_name: str | None = None) -> tuple[int | None, float]:
        """Run a long client command with its output going to `log_path`.

        Returns (exit code, seconds); the exit code is None when the time limit was reached. Then the
        container named `container_name` (if any) is killed and removed, and the client is stopped.
        """
        log_path.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with open(log_path, "wb") as log:
            try:
                process = subprocess.Popen(self._argv(*args), env=self._env, stdin=subprocess.DEVNULL,
                                           stdout=log, stderr=subprocess.STDOUT)
            except FileNotFoundError as exc:
                raise RuntimeUnavailable(f"{self.executable} is not installed (not found on PATH)") from exc
            except OSError as exc:
                raise RuntimeUnavailable(f"cannot start {self.executable}: {exc}") from exc
            try:
                with logged(self._argv(*args)):
                    return process.wait(timeout=timeout_s), time.monotonic() - started
            except subprocess.TimeoutExpired:
                pass
            if container_name is not None:
                self.kill_container(container_name)
            else:
                process.terminate()  # lets `build` clean up its working container
            try:
                process.wait(timeout=_KILL_GRACE_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=_KILL_GRACE_S)
        return None, time.monotonic() - started

    # -- ContainerRuntime -----------------------------------------------------------------------

    def version(self) -> str:
        completed = self._call("--version")
        match = re.search(r"version\s+([^\s,]+)", completed.stdout)
        if completed.returncode != 0 or not match:
            raise RuntimeUnavailable(f"`{self.executable} --version` did not answer: "
                                     f"{(completed.stderr or completed.stdout).strip()[:200]}")
        return match.group(1)

    def engine_check(self) -> None:
        """Raise RuntimeUnavailable unless the engine behind the client answers."""
        completed = self._call("info")
        if completed.returncode != 0:
            detail = log_tail(completed.stderr or completed.stdout, 1, separator=" / ", default="no output")
            raise RuntimeUnavailable(f"`{self.executable} info` failed: {detail}")

    def run_argv(self, spec: RunSpec, container_name: str) -> list[str]:
        """The client argument list for `spec` (without the executable and global options)."""
        args = ["run", "--rm", "--name", container_name, *self.extra_args,
                "--pull=never", "--cap-drop=ALL", "--security-opt", "no-new-privileges",
                "--memory", spec.memory, "--pids-limit", str(spec.pids_limit), "--hostname", "build"]
        if not spec.network:
            args.append("--network=none")
        if spec.read_only_root:
            args += ["--read-only", *self._read_only_extra]
        for entry in spec.tmpfs:
            args += ["--tmpfs", self._tmpfs_argument(entry, owned_by_user=spec.user is not None)]
        for mount in spec.mounts:
            args += ["-v", volume_argument(mount)]
        for key, value in sorted(spec.env.items()):
            args += ["-e", f"{key}={value}"]
        for key, value in sorted(spec.labels.items()):
            args += ["--label", f"{key}={value}"]
        if spec.workdir is not None:
            args += ["--workdir", spec.workdir]
        if spec.user is not None:
            args += ["--user", spec.user]
        return [*args, spec.image, *spec.command]

    def _tmpfs_argument(self, entry: str, owned_by_user: bool) -> str:
        """The ``--tmpfs`` value for `entry`; scratch space must be writable by the run's user, which
        this engine's tmpfs gets with mode 1777 (docker honours ``mode=``)."""
        if not owned_by_user or "mode=" in entry:
            return entry
        return entry + (",mode=1777" if ":" in entry else ":mode=1777")

    def run(self, spec: RunSpec, log_path: Path) -> RunResult:
        container_name = f"verifier-{uuid.uuid4().hex[:16]}"
        code, duration = self._call_logged(self.run_argv(spec, container_name), log_path, spec.timeout_s,
                                           container_name=container_name)
        if code is None:
            return RunResult(exit_code=-1, timed_out=True, duration_s=duration, log_path=log_path)
        return RunResult(exit_code=code, timed_out=False, duration_s=duration, log_path=log_path)

    def kill_container(self, container_name: str) -> None:
        """Kill and remove a container by name; best effort: it may be gone already."""
        for args in (("kill", container_name), ("rm", "-f", container_name)):
            with contextlib.suppress(RuntimeUnavailable):
                self._call(*args)

    def image_id(self, ref: str) -> str | None:
        completed = self._call("image", "inspect", "--format", "{{.Id}}", ref)
        if completed.returncode != 0:
            return None
        match = _HEX64.fullmatch(completed.stdout.strip())
        return f"sha256:{match.group(1)}" if match else None

    def build_image(self, context_dir: Path, containerfile: Path, tag: str, *,
                    build_args: Mapping[str, str] | None = None, network: bool = False,
                    mounts: Sequence[Mount] = (), log_path: Path, timeout_s: float = 1800.0) -> str:
        args = ["build", *self.extra_args, "-f", str(containerfile), "-t", tag,
                f"--network={'host' if network else 'none'}"]
        args += self._build_mount_args(mounts)
        for key, value in sorted((build_args or {}).items()):
            args += ["--build-arg", f"{key}={value}"]
        args.append(str(context_dir))
        code, _ = self._call_logged(args, log_path, timeout_s)
        if code is None:
            raise RuntimeUnavailable(f"building image {tag} took longer than {timeout_s:.0f} s (log: {log_path})")
        if code != 0:
            raise RuntimeUnavailable(f"building image {tag} failed with exit {code}: "
                                     f"{log_tail(log_path, 1, separator=' / ', max_chars=600)} (log: {log_path})")
        image = self.image_id(tag)
        if image is None:
            raise RuntimeUnavailable(f"{self.executable} build reported success but {tag} is not there")
        return image

    def _build_mount_args(self, mounts: Sequence[Mount]) -> list[str]:
        """Options that make `mounts` visible to RUN steps; engines that cannot do it refuse."""
        if not mounts:
            return []
        raise RuntimeUnavailable(f"{self.name} cannot mount volumes into an image build")

    def import_rootfs(self, tar_path: Path, tag: str, *, timeout_s: float = 600.0) -> str:
        completed = self._call("import", str(tar_path), tag, timeout_s=timeout_s)
        if completed.returncode != 0:
            raise RuntimeUnavailable(f"`{self.executable} import {tar_path.name}` failed: "
                                     f"{completed.stderr.strip()[-300:]}")
        image = self.image_id(tag)
        if image is None:
            raise RuntimeUnavailable(f"{self.executable} import reported success but {tag} is not there")
        return image

    def remove_image(self, ref: str) -> None:
        if self.image_id(ref) is None:
            return
        completed = self._call("rmi", ref)
        if completed.returncode != 0 and self.image_id(ref) is not None:
            raise RuntimeUnavailable(f"cannot remove image {ref}: {completed.stderr.strip()[-300:]}")

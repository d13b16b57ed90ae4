"""Running the git command line: a fixed environment, argument lists, timeouts, errors wrapped.

Every git call of the source stage goes through :func:`run_git`. The environment is built from
scratch (:func:`git_env`): the system's and the user's git configuration files are not read, so
nothing there can change what a checkout contains (``core.autocrlf``, ``core.eol``, filters,
``core.symlinks``, ...), and git never waits for a password on a terminal. What decides only *where
from* and *as whom* git fetches is taken over from the user's configuration (see
:mod:`verifier.source.gitconfig`): URL rewriting (``url.<base>.insteadOf``: mirrors), credential
helpers, HTTP proxy/CA settings and protocol permissions.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from verifier.commandlog import logged
from verifier.errors import SourceError, VerifierError
from verifier.source.gitconfig import fetch_settings

#: Variables passed through from the caller's environment: how to reach the network, nothing else.
PASSTHROUGH_VARIABLES = (
    "SSH_AUTH_SOCK",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "all_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "GIT_SSL_CAINFO",
    "TMPDIR",
)

#: Default timeout of one quick local git command (listing refs, reading an object), in seconds.
QUICK_TIMEOUT = 60.0


def git_env(home: Path | None = None, ceiling: Path | None = None) -> dict[str, str]:
    """The environment of every git call.

    ``home`` is ``$HOME`` for git (ssh keys, credential helpers); the caller's home by default.
    The global and system git configuration files are ignored either way; only the settings that
    say where from and as whom to fetch are passed on from them (``GIT_CONFIG_COUNT``, so they take
    effect without any file, and credentials never appear on a command line). ``ceiling``, when given,
    stops git from looking above that directory for a repository, so that a directory that is not
    a repository is not taken for the repository around it.
    """
    env = {name: os.environ[name] for name in PASSTHROUGH_VARIABLES if name in os.environ}
    env.update(
        PATH=os.environ.get("PATH", os.defpath),
        HOME=str(home if home is not None else Path.home()),
        LC_ALL="C",
        LANG="C",
        TZ="UTC",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_PAGER="cat",
        GIT_SSH_COMMAND="ssh -o BatchMode=yes",
    )
    settings = fetch_settings()
    if settings:
        env["GIT_CONFIG_COUNT"] = str(len(settings))
        for index, (key, value) in enumerate(settings):
            env[f"GIT_CONFIG_KEY_{index}"] = key
            env[f"GIT_CONFIG_VALUE_{index}"] = value
    if ceiling is not None:
        env["GIT_CEILING_DIRECTORIES"] = str(ceiling)
    return env


def source_repo_env(repo: Path, home: Path | None = None) -> dict[str, str]:
    """The environment for git commands run inside ``repo``, which must itself be the repository."""
    return git_env(home, ceiling=repo.resolve().parent)


class Deadline:
    """An overall time budget shared by several git commands."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self, what: str, error: type[VerifierError] = SourceError) -> float:
        """Seconds left; raises ``error`` when the budget is spent before ``what`` could start."""
        left = self._end - time.monotonic()
        if left <= 0:
            raise error(f"timed out after {self.seconds:g}s before {what}")
        return left


def run_git(
    args: Sequence[str],
    *,
    cwd: Path | None,
    env: Mapping[str, str],
    timeout: float = QUICK_TIMEOUT,
    error: type[VerifierError] = SourceError,
    what: str | None = None,
) -> bytes:
    """Run ``git *args`` in ``cwd`` and return its standard output.

    A non-zero exit, a timeout or a missing git raises ``error`` with a one-line message naming
    ``what`` (the command by default) and the last line git wrote on standard error. On timeout
    the whole process group is killed, so that helpers git started (upload-pack, remote-https)
    do not outlive it.
    """
    command = ["git", *args]
    label = what or "git " + " ".join(args[:2])
    try:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except FileNotFoundError as exc:
        raise error(f"{label}: git is not installed or not on PATH") from exc
    except OSError as exc:
        raise error(f"{label}: cannot run git: {exc}") from exc
    try:
        with logged(command):
            stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise error(f"{label}: timed out after {timeout:g}s") from exc
    except BaseException:
        _kill_group(process)
        raise
    if process.returncode != 0:
        raise error(f"{label}: {git_complaint(stderr) or f'git exited {process.returncode}'}")
    return stdout


def git_complaint(stderr: bytes) -> str:
    """The line of git's standard error that says what went wrong.

    That is the first ``fatal:`` or ``error:`` line (later ones tend to be consequences, such as
    "Failed to clone 'x' a second time"), without its prefix; else the last non-empty line.
    """
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    for line in lines:
        for prefix in ("fatal: ", "error: "):
            if line.startswith(prefix):
                return line.removeprefix(prefix)
    return lines[-1] if lines else ""


def decode_path(raw: bytes) -> str:
    """A path or ref name as git wrote it; bytes that are not UTF-8 survive as surrogates."""
    return raw.decode("utf-8", "surrogateescape")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()

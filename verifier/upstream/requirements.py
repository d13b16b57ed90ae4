"""Build requirements pinned as of a cut-off time, and the offline wheelhouse made from them.

Resolution runs ``uv pip compile`` in an isolated configuration (``--no-config``, an explicit
environment without inherited ``UV_*``/``PIP_*`` variables, its own cache directory), so that the
result depends only on the index, the cut-off and the target Python.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.tags import Tag

from verifier.commandlog import logged
from verifier.errors import BadInput, CouldNotVerify, FetchError
from verifier.hostenv import resolve_ca_bundle
from verifier.upstream.cache import ArtifactCache
from verifier.upstream.compatibility import choose_installable, parse_python_version
from verifier.upstream.index import IndexClient, Progress
from verifier.upstream.interface import PinnedRequirement, WheelhouseFile
from verifier.upstream.names import normalize_project, normalize_version
from verifier.upstream.sessions import DEFAULT_TIMEOUT

#: uv's name for the builder image's platform (Debian bookworm: glibc 2.36, x86_64).
DEFAULT_PYTHON_PLATFORM = "x86_64-manylinux_2_36"
DEFAULT_RESOLVE_TIMEOUT = 300.0
WHEELHOUSE_REQUIREMENTS = "requirements.txt"

_STDERR_TAIL_CHARS = 600
_PASSED_ENV = ("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "SYSTEMROOT")
_PROXY_ENV = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
_PIN_LINE = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s;\\]+)"
)
_HASH = re.compile(r"--hash=sha256:([0-9a-fA-F]{64})")
_UNREACHABLE_MARKERS = (
    "Failed to fetch",
    "error sending request",
    "tcp connect error",
    "dns error",
)


def find_uv() -> str:
    """The path of the uv executable shipped with the ``uv`` Python package."""
    try:
        from uv import find_uv_bin
    except ImportError:
        raise CouldNotVerify("uv is not installed (pip install uv)") from None
    try:
        return find_uv_bin()
    except FileNotFoundError:
        raise CouldNotVerify("the uv package is installed but its executable is missing") from None


def resolve_build_requirements(
    requirements: Sequence[str],
    cutoff: datetime,
    index_url: str,
    python_version: str,
    pins: Sequence[str] = (),
    *,
    workdir: Path,
    ca_bundle: str | os.PathLike[str] | None = None,
    python_platform: str = DEFAULT_PYTHON_PLATFORM,
    build_sdists_on_host: bool = False,
    timeout: float = DEFAULT_RESOLVE_TIMEOUT,
    http_retries: int = 3,
    uv_cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> list[PinnedRequirement]:
    """Pin ``requirements`` (PEP 508 strings) and their dependencies to the newest versions on
    ``index_url`` uploaded before ``cutoff`` (a naive time is taken as UTC) for CPython
    ``python_version`` (``"3.N"``) on ``python_platform``, honouring ``pins`` as constraints.

    Every pin carries the sha256 of each file of its version the index lists. Writes only into
    ``workdir`` (inputs, output, and uv's cache unless ``uv_cache_dir`` is given). By default no
    sdist is built on the host to learn its metadata (``build_sdists_on_host`` allows it).

    Raises :class:`BadInput` for malformed or unsatisfiable requirements, :class:`FetchError`
    when the index cannot be read; messages end with the tail of uv's stderr.
    """
    parse_python_version(python_version)
    requirement_lines = [_checked_requirement(text, "build requirement") for text in requirements]
    constraint_lines = [_checked_requirement(text, "pin") for text in pins]
    if not requirement_lines:
        return []
    workdir.mkdir(parents=True, exist_ok=True)
    requirements_in = workdir / "build-requirements.in"
    constraints_in = workdir / "build-constraints.txt"
    pinned_out = workdir / "build-requirements.txt"
    requirements_in.write_text("\n".join(requirement_lines) + "\n", encoding="utf-8")
    constraints_in.write_text("".join(line + "\n" for line in constraint_lines), encoding="utf-8")
    pinned_out.unlink(missing_ok=True)
    cutoff_text = _rfc3339(cutoff)
    command = [
        find_uv(), "pip", "compile",
        "--no-config", "--quiet", "--no-python-downloads",
        "--index-url", index_url,
        "--exclude-newer", cutoff_text,
        "--python-version", python_version,
        "--python-platform", python_platform,
        "--generate-hashes", "--no-header", "--no-annotate",
        "--cache-dir", str(uv_cache_dir or workdir / "uv-cache"),
        "--constraint", str(constraints_in),
        "--output-file", str(pinned_out),
        *([] if build_sdists_on_host else ["--no-build"]),
        str(requirements_in),
    ]  # fmt: skip
    if progress is not None:
        progress(f"resolving build requirements as of {cutoff_text}")
    try:
        with logged(command):
            completed = subprocess.run(
                command,
                env=_uv_environment(ca_bundle, http_retries),
                cwd=workdir,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
    except subprocess.TimeoutExpired:
        raise FetchError(
            f"uv pip compile against {index_url} took longer than {timeout:g} s"
        ) from None
    except OSError as exc:
        raise CouldNotVerify(f"cannot run uv: {exc}") from None
    if completed.returncode != 0:
        raise _resolution_error(completed.stderr, index_url, cutoff_text)
    return parse_pinned_requirements(pinned_out.read_text(encoding="utf-8"))


def parse_pinned_requirements(text: str) -> list[PinnedRequirement]:
    """The pins of a hashed requirements file as ``uv pip compile --generate-hashes`` writes it
    (``name==version \\`` followed by ``--hash=sha256:...`` lines), sorted by name."""
    pinned = []
    for line in _logical_lines(text):
        match = _PIN_LINE.match(line)
        if not match:
            raise FetchError(f"unexpected line in uv's output: {line[:120]!r}")
        name = normalize_project(match.group("name"))
        hashes = tuple(dict.fromkeys(h.lower() for h in _HASH.findall(line)))
        if not hashes:
            raise FetchError(f"uv gave no sha256 for {name}=={match.group('version')}")
        pinned.append(PinnedRequirement(name=name, version=match.group("version"), hashes=hashes))
    return sorted(pinned, key=lambda pin: pin.name)


def download_wheelhouse(
    pinned: Sequence[PinnedRequirement],
    dest: Path,
    index_url: str,
    python_version: str,
    cache: ArtifactCache,
    *,
    ca_bundle: str | os.PathLike[str] | None = None,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    tags: list[Tag] | None = None,
    progress: Progress | None = None,
) -> list[WheelhouseFile]:
    """Put one installable file per pin into ``dest`` and write ``dest/requirements.txt``.

    For each pin the file is chosen among the index's files of that version whose sha256 is one
    of the pinned hashes: the best wheel for CPython ``python_version`` on manylinux x86_64
    (glibc 2.36; ``tags`` overrides the accepted tags), else the sdist. It is downloaded through
    ``cache`` (checked against the index's hash, which is a pinned one) and copied into ``dest``.
    ``requirements.txt`` then holds ``name==version --hash=sha256:...`` lines, so that
    ``pip install --no-index --find-links DEST --require-hashes -r DEST/requirements.txt`` works
    offline. Raises :class:`FetchError` when no such file exists or a download fails.
    """
    parse_python_version(python_version)
    dest.mkdir(parents=True, exist_ok=True)
    placed: list[WheelhouseFile] = []
    with IndexClient(index_url, ca_bundle=ca_bundle, timeout=timeout) as client:
        for pin in pinned:
            files = client.files_for_version(pin.name, pin.version)
            pinned_hashes = {digest.lower() for digest in pin.hashes}
            candidates = [file for file in files if file.sha256 in pinned_hashes]
            chosen = choose_installable(candidates, python_version, tags)
            if chosen is None:
                listed = ", ".join(sorted(file.filename for file in files)) or "none"
                raise FetchError(
                    f"{pin.name}=={pin.version}: no file with a pinned hash installs on "
                    f"CPython {python_version} manylinux x86_64; the index has: {listed}"
                )
            artifact = client.download(chosen, cache, progress)
            assert chosen.sha256 is not None  # candidates all carry a pinned sha256
            shutil.copyfile(artifact.path, dest / chosen.filename)
            placed.append(
                WheelhouseFile(
                    name=pin.name,
                    version=normalize_version(pin.version),
                    filename=chosen.filename,
                    sha256=chosen.sha256,
                )
            )
    (dest / WHEELHOUSE_REQUIREMENTS).write_text(
        "".join(f"{item.name}=={item.version} --hash=sha256:{item.sha256}\n" for item in placed),
        encoding="utf-8",
    )
    return placed


def _checked_requirement(text: str, what: str) -> str:
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        raise BadInput(f"malformed {what} {text!r}: {exc}") from None
    if requirement.url:
        raise BadInput(f"{what} {text!r} is a direct URL, which cannot be pinned by upload time")
    return str(requirement)


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _uv_environment(ca_bundle: str | os.PathLike[str] | None, http_retries: int) -> dict[str, str]:
    environment = {name: os.environ[name] for name in _PASSED_ENV if name in os.environ}
    for name in _PROXY_ENV:
        for spelling in (name, name.upper()):
            if spelling in os.environ:
                environment[spelling] = os.environ[spelling]
    environment["SSL_CERT_FILE"] = resolve_ca_bundle(ca_bundle)
    environment["UV_HTTP_RETRIES"] = str(http_retries)
    environment["UV_HTTP_TIMEOUT"] = str(int(DEFAULT_TIMEOUT[1]))
    return environment


def _logical_lines(text: str) -> list[str]:
    joined = re.sub(r"\\\s*\n", " ", text)
    lines = []
    for raw in joined.splitlines():
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if line:
            lines.append(line)
    return lines


def _stderr_tail(stderr: str) -> str:
    flat = " ".join(stderr.split())
    if len(flat) <= _STDERR_TAIL_CHARS:
        return flat
    return "..." + flat[-_STDERR_TAIL_CHARS:]


def _resolution_error(stderr: str, index_url: str, cutoff_text: str) -> BadInput | FetchError:
    tail = _stderr_tail(stderr) or "(no output)"
    if "building from source is disabled" in stderr or "--no-build" in stderr:
        return BadInput(
            f"a build requirement is only available as an sdist, and sdists are not built on the "
            f"host unless allowed: {tail}"
        )
    if "No solution found" in stderr:
        return BadInput(f"build requirements cannot be satisfied as of {cutoff_text}: {tail}")
    if any(marker in stderr for marker in _UNREACHABLE_MARKERS):
        return FetchError(f"index unreachable: {index_url}: {tail}")
    return FetchError(f"resolving build requirements against {index_url} failed: {tail}")

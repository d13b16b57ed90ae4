"""The `pypa-build` builder: any PEP 517 backend through the PyPA `build` frontend.

Host side: pin `[build-system] requires` as of the upload time (uv --exclude-newer, isolated from the
host's pip configuration), download them into a wheelhouse checked by hash, then run
builders/pypa-build/build.sh in the container with no network, the checkout read-only and the
wheelhouse read-only. When the backend asks for more (`get_requires_for_build_sdist`, or `_wheel`),
the script exits 42 listing them; they are pinned the same way and the build runs again.

A wheel target builds the wheel the same way: from the tree ("wheel") or from a rebuilt sdist
("wheel-from-sdist", the sdist mounted read-only and unpacked in the container, as pip does).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

from verifier.build import tar_writers
from verifier.build.interface import (
    Builder,
    BuildRequest,
    BuildResult,
    Progress,
    recipes_dir,
)
from verifier.build.tar_writers import PreparedWriter
from verifier.errors import BadInput, BuildError
from verifier.fsutil import file_sha256
from verifier.hostenv import host_ca_bundle
from verifier.logs import log_tail
from verifier.runtime.builders import ensure_builder_image
from verifier.runtime.interface import ContainerRuntime, Mount, RunSpec
from verifier.upstream.cache import ArtifactCache
from verifier.upstream.compatibility import supported_tags, uv_platform
from verifier.upstream.requirements import (
    download_wheelhouse,
    resolve_build_requirements,
)

SCRIPT = "/opt/verifier-tools/recipe/build.sh"
NEEDS_MORE = 42
MAX_ROUNDS = 3
_EXIT_MEANINGS = {
    2: "unusable input (no project in the checkout?)",
    3: "installing the build requirements failed",
    4: "the backend failed when asked for its build requirements",
    5: "the build failed",
    6: "a pre-build step failed",
}
PREBUILD_TIMEOUT_S = 600  # each pre-build step's time limit in the container
_SUFFIXES = {"sdist": ("*.tar.gz", "*.zip"), "wheel": ("*.whl",), "wheel-from-sdist": ("*.whl",)}


def _readable(path: Path) -> None:
    for root, dirs, files in os.walk(path):
        for name in dirs:
            os.chmod(Path(root) / name, 0o755)
        for name in files:
            target = Path(root) / name
            os.chmod(target, stat.S_IMODE(target.stat().st_mode) | 0o444)
    os.chmod(path, 0o755)


def prebuild_environment(steps: tuple[str, ...]) -> dict[str, str]:
    """The variables that hand build.sh the pre-build steps (run in the container, never on the host)."""
    if not steps:
        return {}
    if any(not step.strip() or "\0" in step for step in steps):
        raise BadInput("a --prebuild-step is empty or holds a NUL byte")
    numbered = {f"BUILD_PREBUILD_{number}": step for number, step in enumerate(steps, start=1)}
    return {"BUILD_PREBUILD_COUNT": str(len(steps)), "BUILD_PREBUILD_TIMEOUT": str(PREBUILD_TIMEOUT_S), **numbered}


class PypaBuilder(Builder):
    name = "pypa-build"

    @classmethod
    def detects(cls, tree: Path) -> bool:
        return (tree / "pyproject.toml").is_file() or (tree / "setup.py").is_file() or (tree / "setup.cfg").is_file()

    def build(self, request: BuildRequest, runtime: ContainerRuntime, progress: Progress) -> BuildResult:
        workdir = request.workdir
        if request.builder_options:
            raise BadInput("--builder-option is for the pants builder; pypa-build takes --env and --pin")
        cache = ArtifactCache(request.cache_dir / "artifacts")
        requirements = list(request.project.build_requires)
        if request.frontend in ("flit", "flit-setup-py"):
            requirements.append("flit")  # the command, besides its backend flit_core
        requirements.extend(request.extra_requirements)  # what the release installed for the build tool
        declared = ", ".join(requirements) or "none declared (an in-tree backend)"
        progress(f"pinning build requirements as of {request.cutoff:%Y-%m-%d %H:%M} UTC: {declared}")
        image = ensure_builder_image(
            runtime,
            recipes_dir() / self.name,
            request.base_image,
            request.cache_dir,
            ca_bundle=host_ca_bundle(),
            allow_unpinned_base=request.allow_unpinned,
            progress=progress,
        )
        log_path = workdir / "logs" / "build.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        out = workdir / "out"
        sdist_input = self._sdist_input(request)
        writer = self._tar_writer(request, progress)
        for round_number in range(1, MAX_ROUNDS + 1):
            pinned = resolve_build_requirements(
                requirements,
                request.cutoff,
                request.build_index_url,
                request.python_version,
                request.pins,
                workdir=workdir / "resolve",
                python_platform=uv_platform(request.glibc),
            )
            wheelhouse = workdir / f"wheelhouse-{round_number}"
            wheelhouse.mkdir(parents=True, exist_ok=True)
            files = download_wheelhouse(pinned, wheelhouse, request.build_index_url, request.python_version, cache,
                                        tags=supported_tags(request.python_version, request.glibc))
            _readable(wheelhouse)
            out.mkdir(parents=True, exist_ok=True)
            os.chmod(out, 0o777)
            progress(f"building in the container (round {round_number}, no network)")
            result = runtime.run(self._run_spec(request, image, wheelhouse, out, sdist_input, writer), log_path)
            if result.timed_out:
                raise BuildError(f"the build took more than {request.timeout_s} s and was stopped; log: {log_path}")
            if result.exit_code == NEEDS_MORE and round_number < MAX_ROUNDS:
                wanted = json.loads((out / "requires.json").read_text()).get("missing", [])
                progress(f"the backend asks for more: {', '.join(wanted)}")
                requirements = sorted(set(requirements) | set(wanted))
                continue
            if result.exit_code != 0:
                meaning = _EXIT_MEANINGS.get(result.exit_code, f"exit {result.exit_code}")
                raise BuildError(f"build failed: {meaning}; log: {log_path}", details=log_tail(log_path, 25, default="(no log)"))
            break
        made = [path for pattern in _SUFFIXES[request.target] for path in sorted((out / "dist").glob(pattern))]
        if len(made) != 1:
            what = "sdists" if request.target == "sdist" else "wheels"
            raise BuildError(f"the build produced {len(made)} {what} in {out / 'dist'}, expected one")
        environment: dict[str, Any] = {}
        if (out / "environment.json").is_file():
            environment = json.loads((out / "environment.json").read_text())
        notes = _tar_writer_used(writer, environment) + _windows_emulated(_windows(request), environment)
        return BuildResult(
            sdist=made[0],
            builder=self.name,
            image_id=image,
            base_image=request.base_image,
            log_path=log_path,
            python=environment.get("python_version"),
            requirements=[{"name": f.name, "version": f.version, "filename": f.filename, "sha256": f.sha256} for f in files],
            environment=environment,
            network=False,
            notes=notes,
        )

    @staticmethod
    def _sdist_input(request: BuildRequest) -> Path | None:
        """A directory holding only the rebuilt sdist, readable by the build user (wheel-from-sdist)."""
        if request.target not in _SUFFIXES:
            raise BadInput(f"pypa-build makes an sdist, a wheel or a wheel from an sdist, not {request.target!r}")
        if request.target != "wheel-from-sdist":
            return None
        if request.sdist is None or not request.sdist.is_file():
            raise BadInput("a wheel from the rebuilt sdist needs the rebuilt sdist")
        directory = request.workdir / "sdist-input"
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(request.sdist, directory / request.sdist.name)
        _readable(directory)
        return directory

    @staticmethod
    def _tar_writer(request: BuildRequest, progress: Progress) -> PreparedWriter | None:
        """The old CPython tar writer the sdist is written with, copied into the work directory
        (a wheel is a zip: no tar writer for it)."""
        if not request.tar_writer or request.target != "sdist":
            return None
        progress(f"preparing the tar writer {request.tar_writer}")
        prepared = tar_writers.prepare(request.tar_writer, request.cache_dir)
        directory = request.workdir / "tar-writer"
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(prepared.module, directory / "tarfile.py")
        _readable(directory)
        return dataclasses.replace(prepared, directory=directory)

    def _run_spec(
        self, request: BuildRequest, image: str, wheelhouse: Path, out: Path, sdist_input: Path | None = None, writer: PreparedWriter | None = None
    ) -> RunSpec:
        """One round of the build in the container: no network, the checkout, the wheelhouse (and the
        rebuilt sdist of a wheel-from-sdist build, the tar writer's module) read-only."""
        env = {**dict(request.env), "BUILD_SUBDIR": request.project.subdir, "BUILD_TARGET": request.target}
        if writer is not None:
            env["BUILD_TAR_WRITER"] = writer.name
        windows = _windows(request)
        if windows:
            env["BUILD_WINDOWS"] = windows  # umask 000 with it, as on Windows
        elif request.umask:
            env["BUILD_UMASK"] = request.umask
        if request.frontend:
            env["BUILD_FRONTEND"] = request.frontend
        if request.source_date_epoch is not None:
            env["SOURCE_DATE_EPOCH"] = str(request.source_date_epoch)
        env.update(prebuild_environment(request.prebuild))
        user = ":".join(request.build_user.split(":")[:2]) if request.build_user else "1000:1000"
        return RunSpec(
            image=image,
            command=[SCRIPT],
            mounts=[Mount(request.checkout, "/src"), Mount(wheelhouse, "/wheelhouse"), Mount(out, "/out", read_only=False)]
            + ([Mount(sdist_input, "/sdist")] if sdist_input is not None else [])
            + ([Mount(writer.directory, "/tar-writer")] if writer is not None else []),
            env=env,
            user=user,
            network=False,
            timeout_s=request.timeout_s,
            tmpfs=["/tmp", "/build:exec,size=4g"],
            labels={"verifier.recipe": self.name, "verifier.package": request.package, **dict(request.labels)},
        )


def _tar_writer_used(writer: PreparedWriter | None, environment: dict[str, Any]) -> list[str]:
    """Record the tar writer in the build's environment, checked against what the build venv
    imported as `tarfile` (the container reports its path and sha256)."""
    if writer is None:
        return []
    imported = environment.get("tarfile") or {}
    if imported.get("sha256") != writer.sha256:
        raise BuildError(f"the build venv imported tarfile from {imported.get('file')} (sha256 {imported.get('sha256')}), not the tar writer {writer.name}")
    environment["tar_writer"] = writer.as_dict()
    return [f"the sdist was written with {writer.description} (tarfile.py sha256 {writer.sha256})"]


WINDOWS_TEXT = "windows_text.py"  # the CRLF text mode build.sh loads into the build venv
WINDOWS_MODES = "files 0666 (0777 for .exe/.bat/.cmd/.com), directories 0777, umask 000"


def _windows(request: BuildRequest) -> str | None:
    """The Windows release machine a build emulates (an sdist's: a wheel is built as on Linux)."""
    if request.windows not in (None, "lf-checkout", "crlf-checkout"):
        raise BadInput(f"--windows is lf-checkout or crlf-checkout, not {request.windows!r}")
    return request.windows if request.target == "sdist" else None


def _windows_emulated(windows: str | None, environment: dict[str, Any]) -> list[str]:
    """Record the Windows emulation in the build's environment, checked against what the container
    reported: the text-mode shim (its sha256 the one shipped here, active, writing CRLF) and umask 000."""
    if windows is None:
        return []
    shim = environment.get("windows_text") or {}
    expected = file_sha256(recipes_dir() / "pypa-build" / WINDOWS_TEXT)
    if not shim.get("active") or shim.get("line_end") != "\r\n" or shim.get("sha256") != expected:
        raise BuildError(f"the build venv's text mode was not Windows' (--windows {windows}): {shim or 'no shim loaded'}")
    if environment.get("umask") != "0000":
        raise BuildError(f"the build ran with umask {environment.get('umask')}, not 000 (--windows {windows})")
    checkout = ("git's core.autocrlf=true checkout of the tag" if windows == "crlf-checkout" else "the tag's files as committed (LF)") \
        + ", symlinks as files holding their target (git for Windows' core.symlinks=false)"
    environment["windows"] = {
        "emulated": windows,
        "checkout": checkout,
        "modes": WINDOWS_MODES,
        "text_mode": {"line_end": "CRLF", "chmod": "the read-only attribute only", "module": shim.get("file"), "sha256": expected},
    }
    return [f"emulated a Windows release machine ({windows}): {checkout}; {WINDOWS_MODES}; in the build venv "
            f"text-mode writes ended lines with CRLF and os.chmod set only the read-only attribute ({WINDOWS_TEXT} sha256 {expected})"]

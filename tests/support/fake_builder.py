"""A builder that runs no container: it makes the sdist in-process, the way a simple PEP 517 backend
would, so that pipeline tests run in milliseconds. It satisfies the same contract as the real
builders (tests/build/test_contract.py), and `make_sdist` is the "publisher" of the same backend.

What the fake backend writes: every file of the project directory (the checkout's `subdir`, .git
left out) under `NAME-VERSION/`, sorted, plus a `PKG-INFO`; regular files 0644 (less the umask),
owner root, every mtime SOURCE_DATE_EPOCH (or `UNSET_STAMP` when unset, like hatchling); a PAX tar,
gzip-compressed with a zero header mtime.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

from packaging.utils import canonicalize_name

from verifier.build.interface import Builder, BuildRequest, BuildResult, Progress
from verifier.errors import BuildError, RuntimeUnavailable
from verifier.runtime.interface import ContainerRuntime, RunResult, RunSpec

UNSET_STAMP = 1580601600  # what the fake backend stamps without SOURCE_DATE_EPOCH (hatchling's date)


def pkg_info(name: str, version: str) -> bytes:
    return f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()


def make_sdist(
    tree: Path, name: str, version: str, destination: Path, *, epoch: int | None, umask: int = 0o022,
    replace: dict[str, bytes] | None = None,
) -> Path:
    """Write NAME-VERSION.tar.gz of `tree` into the directory `destination`; `replace` changes
    members' contents (by path below the top directory) as a tampered release would."""
    top = f"{canonicalize_name(name).replace('-', '_')}-{version}"
    files: dict[str, bytes] = {}
    for path in sorted(tree.rglob("*")):
        relative = path.relative_to(tree).as_posix()
        if path.is_file() and not relative.startswith(".git/") and relative != ".git":
            files[relative] = path.read_bytes()
    files["PKG-INFO"] = pkg_info(name, version)
    files.update(replace or {})
    stamp = UNSET_STAMP if epoch is None else epoch
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for relative in sorted(files):
            info = tarfile.TarInfo(f"{top}/{relative}")
            info.size, info.mtime, info.mode = len(files[relative]), stamp, 0o666 & ~umask & 0o777
            archive.addfile(info, io.BytesIO(files[relative]))
    destination.mkdir(parents=True, exist_ok=True)
    sdist = destination / f"{top}.tar.gz"
    with open(sdist, "wb") as out, gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as compressed:
        compressed.write(buffer.getvalue())
    return sdist


class FakeBuilder(Builder):
    """Builds in-process; `fail` makes every build fail with that message in its log; `name` lets it
    stand in for a real builder where the pipeline asks which one it is (pypa-build reads workflows)."""

    name = "fake"

    def __init__(self, *, fail: str | None = None, name: str = "fake", fail_after: int | None = None) -> None:
        self.fail = fail
        self.name = name
        self.fail_after = fail_after  # builds after this many fail (a guessed recipe that cannot build)
        self.requests: list[BuildRequest] = []  # every build asked of it, in order

    @classmethod
    def detects(cls, tree: Path) -> bool:
        return (tree / "pyproject.toml").is_file()

    def build(self, request: BuildRequest, runtime: ContainerRuntime, progress: Progress) -> BuildResult:
        self.requests.append(request)
        log_path = request.workdir / "logs" / "build.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        progress(f"building {request.package} in-process (fake backend)")
        if self.fail_after is not None and len(self.requests) > self.fail_after:
            raise BuildError("build failed: the build requirements cannot be satisfied (fake)")
        if self.fail is not None:
            log_path.write_text(f"building {request.package}\nerror: {self.fail}\n")
            raise BuildError(f"build failed: the sdist build failed; log: {log_path}", details=log_path.read_text().strip())
        project = request.project
        version = project.version or "0"
        umask = int(request.umask, 8) if request.umask else 0o022
        tree = request.checkout / project.subdir if project.subdir else request.checkout
        sdist = make_sdist(tree, request.package, version, request.workdir / "out" / "dist", epoch=request.source_date_epoch, umask=umask)
        log_path.write_text(f"building {request.package} {version}\nwrote {sdist.name}\n")
        return BuildResult(
            sdist=sdist,
            builder=self.name,
            image_id="sha256:" + "0" * 64,
            base_image=request.base_image,
            log_path=log_path,
            python=request.python_version,
            requirements=[{"name": "fake-backend", "version": "1.0", "filename": "fake_backend-1.0-py3-none-any.whl", "sha256": "1" * 64}],
            environment={"python_version": request.python_version, "source_date_epoch": request.source_date_epoch},
            network=False,
        )


class NoRuntime(ContainerRuntime):
    """The container runtime of a builder that runs none: every container operation is refused."""

    name = "none"

    def _refuse(self) -> RuntimeUnavailable:
        return RuntimeUnavailable("no container runtime here (the fake builder runs none)")

    def version(self) -> str:
        return "none"

    def run(self, spec: RunSpec, log_path: Path) -> RunResult:
        raise self._refuse()

    def image_id(self, ref: str) -> str | None:
        return None

    def build_image(self, *args: object, **kwargs: object) -> str:  # type: ignore[override]
        raise self._refuse()

    def import_rootfs(self, tar_path: Path, tag: str, *, timeout_s: float = 600.0) -> str:
        raise self._refuse()

    def remove_image(self, ref: str) -> None:
        raise self._refuse()

